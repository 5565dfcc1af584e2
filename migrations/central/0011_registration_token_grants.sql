ALTER TABLE `registration_tokens` ADD `claimed_at` integer;--> statement-breakpoint
ALTER TABLE `registration_tokens` ADD `subscription_tier` text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE `registration_tokens` ADD `max_installations` integer;--> statement-breakpoint
ALTER TABLE `registration_tokens` ADD `max_users` integer;--> statement-breakpoint
ALTER TABLE `registration_tokens` ADD `subscription_days` integer;