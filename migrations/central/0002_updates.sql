CREATE TABLE `company_update_access` (
	`company_id` text NOT NULL,
	`channel` text NOT NULL,
	PRIMARY KEY(`company_id`, `channel`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel`) REFERENCES `update_channels`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `release_files` (
	`release_id` text NOT NULL,
	`name` text NOT NULL,
	`platform` text NOT NULL,
	`kind` text NOT NULL,
	`size` integer NOT NULL,
	`sha512` text NOT NULL,
	`block_map_size` integer,
	`r2_key` text NOT NULL,
	`uploaded_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`release_id`, `name`),
	FOREIGN KEY (`release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `release_files_name_idx` ON `release_files` (`name`);--> statement-breakpoint
CREATE TABLE `releases` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`version` text NOT NULL,
	`name` text,
	`notes` text,
	`release_date` integer,
	`minimum_version` text,
	`mandatory` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`rollout_percent` real DEFAULT 100 NOT NULL,
	`rollout_ramp_seconds` integer,
	`rollout_state` text DEFAULT 'active' NOT NULL,
	`rollout_started_at` integer,
	`published_at` integer,
	`yanked_at` integer,
	`yanked_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`channel`) REFERENCES `update_channels`(`name`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_channel_version_unique` ON `releases` (`channel`,`version`);--> statement-breakpoint
CREATE INDEX `releases_status_channel_idx` ON `releases` (`status`,`channel`);--> statement-breakpoint
CREATE TABLE `update_channels` (
	`name` text PRIMARY KEY NOT NULL,
	`description` text,
	`parent` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `update_stats` (
	`company_id` text NOT NULL,
	`release_id` text NOT NULL,
	`day` text NOT NULL,
	`checks` integer DEFAULT 0 NOT NULL,
	`downloads` integer DEFAULT 0 NOT NULL,
	`range_requests` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`company_id`, `release_id`, `day`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `update_stats_release_idx` ON `update_stats` (`release_id`,`day`);--> statement-breakpoint
ALTER TABLE `companies` ADD `pinned_version` text;--> statement-breakpoint
-- The three channels every deployment starts with (added by hand to the generated file).
INSERT INTO `update_channels` (`name`, `description`, `parent`) VALUES
	('stable', 'General availability', NULL),
	('beta', 'Pre-releases; also receives stable', 'stable'),
	('alpha', 'Early builds; also receives beta and stable', 'beta');
