CREATE TABLE `sync_changes` (
	`version` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`project_id` text,
	`op` text NOT NULL,
	`user_id` text,
	`changed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_changes_project_idx` ON `sync_changes` (`project_id`,`version`);--> statement-breakpoint
CREATE INDEX `sync_changes_user_idx` ON `sync_changes` (`user_id`,`version`);--> statement-breakpoint
CREATE TABLE `sync_devices` (
	`device_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`last_mutation_id` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_mutation_log` (
	`device_id` text NOT NULL,
	`mutation_id` integer NOT NULL,
	`name` text NOT NULL,
	`outcome` text NOT NULL,
	`code` text,
	`message` text,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`device_id`, `mutation_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_overwrites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` text NOT NULL,
	`field` text NOT NULL,
	`previous` text,
	`value` text,
	`device_id` text NOT NULL,
	`mutation_id` integer NOT NULL,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_overwrites_project_idx` ON `sync_overwrites` (`project_id`);

--> statement-breakpoint
-- Change capture for the mobile sync: every write to synced tables appends to sync_changes in the
-- same transaction. Scope events tell a user's devices that a project entered or left their view.
CREATE TRIGGER `sync_projects_insert` AFTER INSERT ON `projects` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('project', NEW.`id`, NEW.`id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_projects_update` AFTER UPDATE ON `projects` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('project', NEW.`id`, NEW.`id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_projects_delete` AFTER DELETE ON `projects` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('project', OLD.`id`, OLD.`id`, 'delete');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_activities_insert` AFTER INSERT ON `activities` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('activity', NEW.`id`, NEW.`project_id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_activities_update` AFTER UPDATE ON `activities` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('activity', NEW.`id`, NEW.`project_id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_activities_delete` AFTER DELETE ON `activities` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('activity', OLD.`id`, OLD.`project_id`, 'delete');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_documents_insert` AFTER INSERT ON `documents` WHEN NEW.`project_id` IS NOT NULL BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('document', NEW.`id`, NEW.`project_id`, 'upsert');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_documents_update` AFTER UPDATE ON `documents` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`)
    SELECT 'document', NEW.`id`, OLD.`project_id`, 'delete'
    WHERE OLD.`project_id` IS NOT NULL AND (NEW.`project_id` IS NULL OR NEW.`project_id` != OLD.`project_id` OR NEW.`deleted_at` IS NOT NULL);
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`)
    SELECT 'document', NEW.`id`, NEW.`project_id`, 'upsert' WHERE NEW.`project_id` IS NOT NULL AND NEW.`deleted_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `sync_documents_delete` AFTER DELETE ON `documents` WHEN OLD.`project_id` IS NOT NULL BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('document', OLD.`id`, OLD.`project_id`, 'delete');
END;
--> statement-breakpoint
CREATE TRIGGER `sync_assignments_insert` AFTER INSERT ON `project_assignments` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('project', NEW.`project_id`, NEW.`project_id`, 'upsert');
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`, `user_id`) VALUES ('scope', NEW.`project_id`, NEW.`project_id`, 'enter', NEW.`user_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `sync_assignments_update` AFTER UPDATE ON `project_assignments` WHEN NEW.`user_id` != OLD.`user_id` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('project', NEW.`project_id`, NEW.`project_id`, 'upsert');
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`, `user_id`) VALUES ('scope', OLD.`project_id`, OLD.`project_id`, 'leave', OLD.`user_id`);
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`, `user_id`) VALUES ('scope', NEW.`project_id`, NEW.`project_id`, 'enter', NEW.`user_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `sync_assignments_delete` AFTER DELETE ON `project_assignments` BEGIN
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`) VALUES ('project', OLD.`project_id`, OLD.`project_id`, 'upsert');
  INSERT INTO `sync_changes` (`entity`, `entity_id`, `project_id`, `op`, `user_id`) VALUES ('scope', OLD.`project_id`, OLD.`project_id`, 'leave', OLD.`user_id`);
END;
