CREATE TABLE `chat_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`project_id` text,
	`direct_key` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_message_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_conversations_project_unique` ON `chat_conversations` (`project_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `chat_conversations_direct_unique` ON `chat_conversations` (`direct_key`);--> statement-breakpoint
CREATE TABLE `chat_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`sender_id` text NOT NULL,
	`sender_name` text,
	`body` text NOT NULL,
	`client_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_messages_conversation_idx` ON `chat_messages` (`conversation_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `chat_messages_client_unique` ON `chat_messages` (`conversation_id`,`sender_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `chat_participants` (
	`conversation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`joined_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`conversation_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `chat_participants_user_idx` ON `chat_participants` (`user_id`);--> statement-breakpoint
CREATE TABLE `chat_receipts` (
	`message_id` text NOT NULL,
	`user_id` text NOT NULL,
	`delivered_at` integer,
	`read_at` integer,
	PRIMARY KEY(`message_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `notification_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`provider` text NOT NULL,
	`outcome` text NOT NULL,
	`error` text,
	`http_status` integer,
	`latency_ms` integer,
	`retry_delay_seconds` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notification_attempts_message_idx` ON `notification_attempts` (`message_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notification_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_key` text NOT NULL,
	`category` text NOT NULL,
	`critical` integer DEFAULT false NOT NULL,
	`idempotency_key` text,
	`recipient_key` text NOT NULL,
	`channel` text NOT NULL,
	`address` text,
	`locale` text DEFAULT 'en' NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`status_reason` text,
	`provider` text,
	`provider_message_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`scheduled_for` integer,
	`digest_key` text,
	`triggered_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sent_at` integer,
	`delivered_at` integer,
	`read_at` integer,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_messages_idempotency_unique` ON `notification_messages` (`idempotency_key`,`recipient_key`,`channel`);--> statement-breakpoint
CREATE INDEX `notification_messages_created_idx` ON `notification_messages` (`created_at`);--> statement-breakpoint
CREATE INDEX `notification_messages_status_idx` ON `notification_messages` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `notification_messages_recipient_idx` ON `notification_messages` (`recipient_key`,`channel`,`created_at`);--> statement-breakpoint
CREATE INDEX `notification_messages_provider_idx` ON `notification_messages` (`provider_message_id`);--> statement-breakpoint
CREATE INDEX `notification_messages_digest_idx` ON `notification_messages` (`digest_key`);--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`recipient_key` text NOT NULL,
	`category` text NOT NULL,
	`channel` text NOT NULL,
	`enabled` integer NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`recipient_key`, `category`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `notification_recipient_settings` (
	`recipient_key` text PRIMARY KEY NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`quiet_start` text,
	`quiet_end` text,
	`locale` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notification_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`workflow_key` text NOT NULL,
	`channel` text NOT NULL,
	`locale` text NOT NULL,
	`version` integer NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_templates_version_unique` ON `notification_templates` (`workflow_key`,`channel`,`locale`,`version`);--> statement-breakpoint
CREATE TABLE `notification_workflows` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`critical` integer DEFAULT false NOT NULL,
	`channels` text NOT NULL,
	`digest_minutes` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`recipient_key` text NOT NULL,
	`endpoint` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`kind` text DEFAULT 'browser' NOT NULL,
	`user_agent` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_success_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_endpoint_unique` ON `push_subscriptions` (`endpoint`);--> statement-breakpoint
CREATE INDEX `push_subscriptions_recipient_idx` ON `push_subscriptions` (`recipient_key`);