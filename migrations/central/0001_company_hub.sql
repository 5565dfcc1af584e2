CREATE TABLE `rate_limit_overrides` (
	`tier` text NOT NULL,
	`name` text NOT NULL,
	`limit` integer NOT NULL,
	`window_seconds` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tier`, `name`)
);
--> statement-breakpoint
ALTER TABLE `installations` ADD `deactivation_reason` text;