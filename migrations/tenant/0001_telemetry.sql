CREATE TABLE `app_usage_daily` (
	`day` text NOT NULL,
	`event` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`app_version` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `event`, `name`, `app_version`)
);
--> statement-breakpoint
CREATE TABLE `app_version_days` (
	`day` text NOT NULL,
	`installation_id` text NOT NULL,
	`app_version` text NOT NULL,
	PRIMARY KEY(`day`, `installation_id`)
);
--> statement-breakpoint
CREATE TABLE `machine_metrics` (
	`machine_id` text NOT NULL,
	`metric` text NOT NULL,
	`value` real NOT NULL,
	`ts` integer NOT NULL,
	PRIMARY KEY(`machine_id`, `metric`),
	FOREIGN KEY (`machine_id`) REFERENCES `machines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `machines` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`type` text,
	`status` text DEFAULT 'running' NOT NULL,
	`health_score` real,
	`grid_x` integer,
	`grid_y` integer,
	`metadata` text DEFAULT '{}' NOT NULL,
	`thresholds` text DEFAULT '{}' NOT NULL,
	`last_sample_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `machines_health_idx` ON `machines` (`health_score`);--> statement-breakpoint
CREATE TABLE `telemetry_batches` (
	`key` text PRIMARY KEY NOT NULL,
	`samples` integer NOT NULL,
	`usage` integer NOT NULL,
	`dropped` integer DEFAULT 0 NOT NULL,
	`processed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `telemetry_day` (
	`machine_id` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`sum` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL,
	`last` real NOT NULL,
	`last_ts` integer NOT NULL,
	PRIMARY KEY(`machine_id`, `metric`, `bucket`),
	FOREIGN KEY (`machine_id`) REFERENCES `machines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `telemetry_hour` (
	`machine_id` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`sum` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL,
	`last` real NOT NULL,
	`last_ts` integer NOT NULL,
	PRIMARY KEY(`machine_id`, `metric`, `bucket`),
	FOREIGN KEY (`machine_id`) REFERENCES `machines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `telemetry_minute` (
	`machine_id` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	`sum` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL,
	`last` real NOT NULL,
	`last_ts` integer NOT NULL,
	PRIMARY KEY(`machine_id`, `metric`, `bucket`),
	FOREIGN KEY (`machine_id`) REFERENCES `machines`(`id`) ON UPDATE no action ON DELETE cascade
);
