// A company's dashboard members and the invitations that bring new ones in.
import { z } from "zod";
import { IsoDateSchema } from "../shared/common.ts";

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
