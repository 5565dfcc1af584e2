// Operator (platform) API. Authenticated with NEXUS_ADMIN_SECRET until dashboard users exist.
import { z } from "zod";
import {
  AppVersionSchema,
  IsoDateSchema,
  PaginationQuerySchema,
  SettingsInputSchema,
  SettingsSchema,
  SubscriptionTierSchema,
} from "./common.ts";
import { ChannelNameSchema } from "./updates.ts";

export const CompanySchema = z
  .object({
    id: z.string(),
    company_code: z.string(),
    company_name: z.string(),
    admin_email: z.string(),
    admin_phone: z.string().nullable(),
    subscription_status: z.string(),
    subscription_tier: SubscriptionTierSchema,
    max_users: z.number().int(),
    max_installations: z.number().int(),
    active_installations: z.number().int(),
    settings: SettingsSchema,
    settings_version: z.number().int(),
    update_channel: z.string(),
    minimum_app_version: z.string().nullable(),
    database_provider: z.enum(["d1", "custom"]),
    suspended: z.boolean(),
    suspended_reason: z.string().nullable(),
    expires_at: IsoDateSchema.nullable(),
    stripe_customer_id: z
      .string()
      .nullable()
      .meta({ description: "The Stripe customer whose subscription drives billing" }),
    created_at: IsoDateSchema,
    updated_at: IsoDateSchema,
  })
  .meta({ id: "Company" });
export type Company = z.infer<typeof CompanySchema>;

export const CompanyListQuerySchema = PaginationQuerySchema.extend({
  q: z.string().trim().max(200).optional().meta({ description: "Matches name, code or admin email" }),
  tier: SubscriptionTierSchema.optional(),
  status: z
    .enum(["active", "suspended"])
    .optional()
    .meta({ description: "`suspended`: suspended by an operator; `active`: not suspended" }),
});
export const CompanyListSchema = z
  .object({ success: z.literal(true), companies: z.array(CompanySchema), next_cursor: z.string().nullable() })
  .meta({ id: "CompanyList" });

export const CompanyResponseSchema = z.object({ success: z.literal(true), company: CompanySchema });
export const UpdateSettingsResponseSchema = CompanyResponseSchema.extend({
  pushed_to: z.number().int().nullable().meta({
    description:
      "How many installations connected to the live channel were sent the new settings now (the others get them at their next heartbeat); null if the company's hub could not be reached",
  }),
}).meta({ id: "UpdateSettingsResponse" });

export const UpdateCompanyRequestSchema = z
  .object({
    company_name: z.string().trim().min(1).max(200),
    admin_email: z.email().max(254),
    subscription_tier: SubscriptionTierSchema,
    max_installations: z.number().int().min(0).max(1_000_000),
    max_users: z.number().int().min(0).max(1_000_000),
    update_channel: ChannelNameSchema,
    minimum_app_version: AppVersionSchema.nullable(),
    expires_at: IsoDateSchema.nullable(),
    stripe_customer_id: z
      .string()
      .regex(/^cus_[A-Za-z0-9]{1,250}$/, "a Stripe customer id such as cus_NffrFeUfNV2Hib")
      .nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, "send at least one field to change")
  .meta({ id: "UpdateCompanyRequest" });

export const UpdateSettingsRequestSchema = z
  .object({
    settings: SettingsInputSchema,
    mode: z.enum(["merge", "replace"]).default("merge").meta({
      description:
        "merge: keys in `settings` overwrite existing ones (null deletes a key); replace: settings become exactly `settings`",
    }),
  })
  .meta({ id: "UpdateSettingsRequest" });

export const SuspendCompanyRequestSchema = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .meta({ id: "SuspendCompanyRequest" });

export const InstallationSchema = z
  .object({
    id: z.string(),
    company_id: z.string(),
    machine_id: z.string(),
    hostname: z.string(),
    username: z.string().nullable(),
    ip_address: z.string().nullable(),
    app_version: z.string().nullable(),
    os_version: z.string().nullable(),
    is_active: z.boolean(),
    last_heartbeat_at: IsoDateSchema.nullable(),
    deactivated_at: IsoDateSchema.nullable(),
    created_at: IsoDateSchema,
  })
  .meta({ id: "Installation" });

export const InstallationListQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(["active", "inactive", "all"]).default("all"),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Matches hostname, machine id or username" }),
  app_version: z
    .string()
    .trim()
    .max(50)
    .optional()
    .meta({ description: "Only installations on this version" }),
});
export const InstallationListSchema = z
  .object({
    success: z.literal(true),
    installations: z.array(InstallationSchema),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "InstallationList" });
export const InstallationResponseSchema = z.object({
  success: z.literal(true),
  installation: InstallationSchema,
});

export const CreateRegistrationTokenRequestSchema = z
  .object({
    label: z.string().trim().max(200).optional(),
    expires_in_hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    subscription_tier: SubscriptionTierSchema.default("standard").meta({
      description: "The tier the registered company gets; the registrant cannot choose another",
    }),
    max_installations: z.number().int().min(0).max(1_000_000).nullable().default(null).meta({
      description: "Seats of the registered company; null (the default): the tier's",
    }),
    max_users: z.number().int().min(0).max(1_000_000).nullable().default(null).meta({
      description: "Dashboard users of the registered company; null (the default): the tier's",
    }),
    subscription_days: z.number().int().min(1).max(3650).nullable().default(null).meta({
      description:
        "The registered company's subscription ends this many days after it registers; null: no end",
    }),
  })
  .meta({ id: "CreateRegistrationTokenRequest" });
/** What a registration token gives the company it registers (the operator's choice). */
const RegistrationTokenGrantFields = {
  subscription_tier: SubscriptionTierSchema,
  max_installations: z.number().int().meta({ description: "The tier's default unless the operator chose" }),
  max_users: z.number().int(),
  subscription_days: z.number().int().nullable(),
};
export const RegistrationTokenResponseSchema = z
  .object({
    success: z.literal(true),
    id: z.string(),
    token: z.string().meta({ description: "Shown once; only its hash is stored" }),
    label: z.string().nullable(),
    expires_at: IsoDateSchema,
    ...RegistrationTokenGrantFields,
  })
  .meta({ id: "RegistrationTokenResponse" });

export const RegistrationTokenStateSchema = z.enum(["active", "used", "expired", "revoked"]);
export const RegistrationTokenListQuerySchema = PaginationQuerySchema.extend({
  state: RegistrationTokenStateSchema.optional(),
});
export const RegistrationTokenSchema = z
  .object({
    id: z.string(),
    label: z.string().nullable(),
    state: RegistrationTokenStateSchema,
    created_at: IsoDateSchema,
    expires_at: IsoDateSchema,
    used_at: IsoDateSchema.nullable(),
    used_by_company_id: z.string().nullable(),
    revoked_at: IsoDateSchema.nullable(),
    ...RegistrationTokenGrantFields,
  })
  .meta({
    id: "RegistrationToken",
    description: "A registration token without its secret (only its hash is stored)",
  });
export type RegistrationToken = z.infer<typeof RegistrationTokenSchema>;
export const RegistrationTokenListSchema = z
  .object({
    success: z.literal(true),
    tokens: z.array(RegistrationTokenSchema).meta({ description: "Newest first" }),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "RegistrationTokenList" });
export const RegistrationTokenItemSchema = z.object({
  success: z.literal(true),
  token: RegistrationTokenSchema,
});

export const TenantPoolStatusSchema = z
  .object({
    success: z.literal(true),
    bindings: z.number().int().meta({ description: "TENANT_DB_* bindings this deployment has" }),
    free: z.number().int(),
    reserved: z.number().int(),
    assigned: z.number().int(),
    databases: z.array(
      z.object({
        binding_name: z.string(),
        database_id: z.string().nullable(),
        status: z.enum(["free", "reserved", "assigned"]),
        company_id: z.string().nullable(),
        schema_version: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "TenantPoolStatus" });

export const AuditLogQuerySchema = PaginationQuerySchema.extend({
  action: z.string().trim().max(100).optional(),
  actor_type: z
    .enum(["operator", "user", "api_key", "registration_token", "anonymous", "installation", "system"])
    .optional(),
  actor_id: z.string().trim().max(100).optional(),
  from: IsoDateSchema.optional().meta({ description: "Entries at or after this time" }),
  to: IsoDateSchema.optional().meta({ description: "Entries before this time" }),
});
export const AuditLogEntrySchema = z
  .object({
    id: z.string(),
    company_id: z.string().nullable(),
    actor_type: z.string(),
    actor_id: z.string().nullable(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    ip_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    created_at: IsoDateSchema,
  })
  .meta({ id: "AuditLogEntry" });
export const AuditLogListSchema = z
  .object({
    success: z.literal(true),
    entries: z.array(AuditLogEntrySchema),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "AuditLogList" });

export const AuditActionListSchema = z
  .object({
    success: z.literal(true),
    actions: z.array(z.object({ action: z.string(), entries: z.number().int() })).meta({
      description: "Every action in the company's audit log, by name, with how many entries it has",
    }),
  })
  .meta({ id: "AuditActionList" });

export const HealthResponseSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checks: z.record(z.string(), z.enum(["ok", "failed"])),
  })
  .meta({ id: "Health" });

export const OperatorSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), created_at: IsoDateSchema })
  .meta({ id: "Operator" });
export const CreateOperatorRequestSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    password: z.string().min(10, "at least 10 characters").max(200),
  })
  .meta({ id: "CreateOperatorRequest" });
export const OperatorResponseSchema = z.object({ success: z.literal(true), operator: OperatorSchema });
export const OperatorListSchema = z.object({ success: z.literal(true), operators: z.array(OperatorSchema) });

export const MailOutboxQuerySchema = z.object({
  to: z.string().trim().max(254).optional().meta({ description: "Only mail to this address" }),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export const MailOutboxSchema = z
  .object({
    success: z.literal(true),
    mail: z.array(
      z.object({
        id: z.string(),
        to: z.string(),
        subject: z.string(),
        text: z.string(),
        created_at: IsoDateSchema,
      }),
    ),
  })
  .meta({ id: "MailOutbox" });

const PermissionMapSchema = z
  .record(z.string(), z.array(z.string()).min(1))
  .meta({ description: 'Resource → actions, e.g. {"installations": ["read"]} (see the roles table)' });

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The key's first characters" }),
    permissions: PermissionMapSchema,
    created_by: z.string().nullable(),
    last_used_at: IsoDateSchema.nullable(),
    revoked_at: IsoDateSchema.nullable(),
    expires_at: IsoDateSchema.nullable().meta({
      description: "After this the key is refused; null: until revoked",
    }),
    created_at: IsoDateSchema,
  })
  .meta({ id: "ApiKey" });
export const CreateApiKeyRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    permissions: PermissionMapSchema,
    expires_in_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .nullable()
      .default(null)
      .meta({ description: "Days until the key stops working; null (the default): until revoked" }),
  })
  .meta({ id: "CreateApiKeyRequest" });
export const CreatedApiKeySchema = z.object({
  success: z.literal(true),
  api_key: ApiKeySchema,
  key: z.string().meta({ description: "Shown this once; send as `Authorization: Bearer <key>`" }),
});
export const ApiKeyResponseSchema = z.object({ success: z.literal(true), api_key: ApiKeySchema });
export const ApiKeyListSchema = z.object({ success: z.literal(true), api_keys: z.array(ApiKeySchema) });

export const MemberSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.string().meta({
      description: "owner, admin, member, installer, or a custom role (comma-separated if several)",
    }),
    created_at: IsoDateSchema,
  })
  .meta({ id: "Member" });
export const MemberListSchema = z.object({ success: z.literal(true), members: z.array(MemberSchema) });
export const MemberResponseSchema = z.object({ success: z.literal(true), member: MemberSchema });
export const RoleNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z][a-z0-9_]*$/, "a role name: lower-case letters, digits and underscores");
export const ChangeMemberRoleRequestSchema = z
  .object({ role: RoleNameSchema })
  .meta({ id: "ChangeMemberRoleRequest" });

export const CompanyInvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.string(),
    status: z.string(),
    expires_at: IsoDateSchema,
    created_at: IsoDateSchema,
  })
  .meta({ id: "CompanyInvitation" });
export const InvitationListSchema = z.object({
  success: z.literal(true),
  invitations: z.array(CompanyInvitationSchema),
});
export const InvitationResponseSchema = z.object({
  success: z.literal(true),
  invitation: CompanyInvitationSchema,
});
export const CreateInvitationRequestSchema = z
  .object({ email: z.email().max(254), role: RoleNameSchema.default("member") })
  .meta({ id: "CreateInvitationRequest" });
