// The notification providers' stand-ins behind one fetch-style handler: miniflare's outbound service
// in the workers tests (host notify-stand-in.test), and the Node server (server.ts) for `pnpm dev`.
//   <origin>/resend/emails                              Resend (RESEND_API_BASE_URL = <origin>/resend)
//   <origin>/twilio/2010-04-01/Accounts/{sid}/Messages.json   Twilio (TWILIO_API_BASE_URL = <origin>/twilio)
//   <origin>/push/…                                     a Web Push service (web-push.ts)
//   <origin>/_stand-in/webhooks?provider=&message_id=   the delivery webhooks they sent or would send
//   <origin>/_stand-in/emails?to=, /_stand-in/sms?to=   what was accepted
// Failure switches by recipient: switches.ts.
import { handleResend, sentEmails } from "./resend.ts";
import { handleTwilio, sentSms } from "./twilio.ts";
import { handleWebPush } from "./web-push.ts";
import { keptWebhooks } from "./webhooks.ts";

/** The signing secret of the stand-in's Resend webhooks (RESEND_WEBHOOK_SECRET of the API). */
export const RESEND_STAND_IN_WEBHOOK_SECRET = `whsec_${Buffer.from("notify-stand-in-resend-webhooks!").toString("base64")}`;

export const TWILIO_STAND_IN_ACCOUNT_SID = `AC${"0".repeat(28)}0001`;

/** A key the Resend stand-in accepts (any `re_…` bearer works). */
export const RESEND_STAND_IN_API_KEY = "re_stand_in_key";

/** The origin the workers tests reach the stand-ins at, through miniflare's outbound service. */
export const NOTIFY_STAND_IN_TEST_ORIGIN = "http://notify-stand-in.test";

export async function handleNotifyStandIn(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const { pathname } = url;
  if (pathname.startsWith("/resend/"))
    return handleResend(request, pathname.slice(7), RESEND_STAND_IN_WEBHOOK_SECRET);
  if (pathname.startsWith("/twilio/")) return handleTwilio(request, pathname.slice(7));
  if (pathname.startsWith("/push/")) return handleWebPush(request, pathname.slice(5));
  if (request.method === "GET" && pathname === "/_stand-in/webhooks") {
    return Response.json({
      webhooks: keptWebhooks({
        provider: url.searchParams.get("provider"),
        messageId: url.searchParams.get("message_id"),
      }),
    });
  }
  if (request.method === "GET" && pathname === "/_stand-in/emails") {
    return Response.json({ emails: sentEmails(url.searchParams.get("to")) });
  }
  if (request.method === "GET" && pathname === "/_stand-in/sms") {
    return Response.json({ messages: sentSms(url.searchParams.get("to")) });
  }
  return new Response(
    `No notification stand-in at ${pathname}: the bases are /resend, /twilio, /push and /_stand-in.\n`,
    { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}

/**
 * The API's vars that send email through Resend's stand-in and SMS through Twilio's, at `origin`
 * (the email chain itself, NOTIFY_EMAIL_PROVIDERS, is the caller's choice).
 * RESEND_API_KEY and TWILIO_AUTH_TOKEN are left to the caller: they are also the auth mail's and the
 * inbound webhooks' secrets (RESEND_STAND_IN_API_KEY is a key the stand-in takes; the Twilio stand-in
 * signs its callbacks with whatever token the API authenticated with).
 */
export function notifyStandInVars(origin: string): Record<string, string> {
  return {
    RESEND_API_BASE_URL: `${origin}/resend`,
    RESEND_WEBHOOK_SECRET: RESEND_STAND_IN_WEBHOOK_SECRET,
    TWILIO_API_BASE_URL: `${origin}/twilio`,
    TWILIO_ACCOUNT_SID: TWILIO_STAND_IN_ACCOUNT_SID,
    TWILIO_FROM_NUMBER: "+15005550006",
  };
}
