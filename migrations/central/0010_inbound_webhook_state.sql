PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_inbound_webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`sender_event_id` text,
	`event_type` text,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`state` text DEFAULT 'received' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`processed_at` integer,
	`outcome` text
);
--> statement-breakpoint
INSERT INTO `__new_inbound_webhook_events`("id", "provider", "event_id", "event_type", "payload", "received_at", "state", "attempts", "next_attempt_at", "processed_at", "outcome") SELECT printf('%08x-%04x-7%03x-%04x-%012x', "received_at" / 65536, "received_at" % 65536, abs(random() % 4096), 32768 + abs(random() % 16384), abs(random() % 281474976710656)), "provider", "event_id", "event_type", "payload", "received_at", CASE WHEN "processed_at" IS NULL THEN 'received' ELSE 'processed' END, CASE WHEN "processed_at" IS NULL THEN 0 ELSE 1 END, CASE WHEN "processed_at" IS NULL THEN "received_at" END, "processed_at", "outcome" FROM `inbound_webhook_events`;--> statement-breakpoint
DROP TABLE `inbound_webhook_events`;--> statement-breakpoint
ALTER TABLE `__new_inbound_webhook_events` RENAME TO `inbound_webhook_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_webhook_events_provider_event_unique` ON `inbound_webhook_events` (`provider`,`event_id`);--> statement-breakpoint
CREATE INDEX `inbound_webhook_events_received_idx` ON `inbound_webhook_events` (`received_at`);--> statement-breakpoint
CREATE INDEX `inbound_webhook_events_due_idx` ON `inbound_webhook_events` (`state`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `state` text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `resolved_by` text;