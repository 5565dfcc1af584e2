DROP INDEX `project_assignments_user_idx`;--> statement-breakpoint
CREATE INDEX `project_assignments_user_project_idx` ON `project_assignments` (`user_id`,`project_id`);--> statement-breakpoint
DROP INDEX `projects_stage_idx`;--> statement-breakpoint
DROP INDEX `projects_showroom_idx`;--> statement-breakpoint
CREATE INDEX `projects_stage_id_idx` ON `projects` (`stage`,`id`);--> statement-breakpoint
CREATE INDEX `projects_showroom_id_idx` ON `projects` (`showroom_id`,`id`);