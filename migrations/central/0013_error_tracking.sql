CREATE TABLE `error_ingest_stats` (
	`project_id` integer NOT NULL,
	`day` text NOT NULL,
	`events` integer DEFAULT 0 NOT NULL,
	`sessions` integer DEFAULT 0 NOT NULL,
	`malformed` integer DEFAULT 0 NOT NULL,
	`rate_limited` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`project_id`, `day`),
	FOREIGN KEY (`project_id`) REFERENCES `error_projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `error_projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`app` text NOT NULL,
	`platform` text NOT NULL,
	`public_key` text NOT NULL,
	`revoked_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `error_projects_public_key_unique` ON `error_projects` (`public_key`);--> statement-breakpoint
CREATE INDEX `error_projects_company_idx` ON `error_projects` (`company_id`);--> statement-breakpoint
CREATE TABLE `release_health` (
	`version` text PRIMARY KEY NOT NULL,
	`sessions` integer DEFAULT 0 NOT NULL,
	`errored_sessions` integer DEFAULT 0 NOT NULL,
	`crashed_sessions` integer DEFAULT 0 NOT NULL,
	`abnormal_sessions` integer DEFAULT 0 NOT NULL,
	`users` integer DEFAULT 0 NOT NULL,
	`crashed_users` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `releases` ADD `health_halt_below` real;--> statement-breakpoint
ALTER TABLE `releases` ADD `health_min_sessions` integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE `releases` ADD `halted_by_health_at` integer;