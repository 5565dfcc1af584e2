CREATE TABLE `error_batches` (
	`key` text PRIMARY KEY NOT NULL,
	`items` integer NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`processed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `error_events` (
	`project_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`issue_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`level` text NOT NULL,
	`release` text,
	`environment` text,
	`platform` text NOT NULL,
	`user_key` text,
	`data` text NOT NULL,
	`raw_key` text,
	PRIMARY KEY(`project_id`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `error_events_issue_idx` ON `error_events` (`issue_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `error_events_received_idx` ON `error_events` (`received_at`);--> statement-breakpoint
CREATE TABLE `error_issue_hours` (
	`issue_id` text NOT NULL,
	`hour` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`issue_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `error_issue_releases` (
	`issue_id` text NOT NULL,
	`release` text NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`times_seen` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`issue_id`, `release`)
);
--> statement-breakpoint
CREATE TABLE `error_issue_users` (
	`issue_id` text NOT NULL,
	`user_key` text NOT NULL,
	PRIMARY KEY(`issue_id`, `user_key`)
);
--> statement-breakpoint
CREATE TABLE `error_issues` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`title` text NOT NULL,
	`culprit` text,
	`type` text,
	`level` text NOT NULL,
	`platform` text NOT NULL,
	`status` text DEFAULT 'unresolved' NOT NULL,
	`resolved_in_release` text,
	`resolved_at` integer,
	`regressed_at` integer,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`times_seen` integer DEFAULT 0 NOT NULL,
	`users_seen` integer DEFAULT 0 NOT NULL,
	`first_release` text,
	`last_release` text,
	`last_event_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `error_issues_fingerprint_unique` ON `error_issues` (`project_id`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `error_issues_last_seen_idx` ON `error_issues` (`status`,`last_seen`);--> statement-breakpoint
CREATE TABLE `error_session_users` (
	`project_id` integer NOT NULL,
	`release` text NOT NULL,
	`user_key` text NOT NULL,
	`crashed` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`project_id`, `release`, `user_key`)
);
--> statement-breakpoint
CREATE TABLE `error_sessions` (
	`project_id` integer NOT NULL,
	`release` text NOT NULL,
	`environment` text DEFAULT '' NOT NULL,
	`hour` integer NOT NULL,
	`started` integer DEFAULT 0 NOT NULL,
	`errored` integer DEFAULT 0 NOT NULL,
	`crashed` integer DEFAULT 0 NOT NULL,
	`abnormal` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`project_id`, `release`, `environment`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `error_source_maps` (
	`project_id` integer NOT NULL,
	`release` text NOT NULL,
	`name` text NOT NULL,
	`r2_key` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `release`, `name`)
);
