DROP INDEX `installations_company_active_idx`;--> statement-breakpoint
CREATE INDEX `installations_company_id_idx` ON `installations` (`company_id`,`id`);--> statement-breakpoint
CREATE INDEX `installations_company_active_id_idx` ON `installations` (`company_id`,`is_active`,`id`);