import { adminErrors, bodyErrors, define } from "../shared/route-contract.ts";
import {
  CreateOperatorRequestSchema,
  MailOutboxQuerySchema,
  MailOutboxSchema,
  OperatorListSchema,
  OperatorResponseSchema,
} from "./schemas.ts";

export const operatorRoutes = {
  listOperators: define({
    method: "get",
    path: "/api/admin/operators",
    summary: "Platform operators (dashboard users with the admin role)",
    tag: "operator",
    auth: "operator",
    status: 200,
    response: OperatorListSchema,
    errors: [...adminErrors, "FORBIDDEN"],
  }),
  createOperator: define({
    method: "post",
    path: "/api/admin/operators",
    summary: "Create a platform operator who signs in with email and password (`nexus admin create`)",
    tag: "operator",
    auth: "operator",
    body: CreateOperatorRequestSchema,
    status: 201,
    response: OperatorResponseSchema,
    errors: [...adminErrors, ...bodyErrors, "FORBIDDEN", "USER_EXISTS"],
  }),
  mailOutbox: define({
    method: "get",
    path: "/api/admin/mail-outbox",
    summary: "Mail the API sent while MAIL_MODE=outbox (local development): newest first",
    tag: "operator",
    auth: "operator",
    query: MailOutboxQuerySchema,
    status: 200,
    response: MailOutboxSchema,
    errors: [...adminErrors, "FORBIDDEN", "VALIDATION_FAILED"],
  }),
} as const;
