ALTER TABLE `installations` ADD `secret_hash` text;--> statement-breakpoint
ALTER TABLE `installations` ADD `bound_at` integer;