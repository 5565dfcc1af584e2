CREATE TABLE `notification_provider_refs` (
	`provider` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`company_id` text NOT NULL,
	`message_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`provider`, `provider_message_id`)
);
--> statement-breakpoint
CREATE INDEX `notification_provider_refs_created_idx` ON `notification_provider_refs` (`created_at`);--> statement-breakpoint
CREATE TABLE `operator_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`company_id` text,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`delivered_to` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operator_alerts_open_unique` ON `operator_alerts` (`dedupe_key`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `operator_alerts_created_idx` ON `operator_alerts` (`created_at`);