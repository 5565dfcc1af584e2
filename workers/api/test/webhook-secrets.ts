// Inbound webhook secrets the API test worker is configured with (vitest.config.ts), so tests can
// sign requests with the senders' own libraries.
export const TEST_WEBHOOK_SECRETS = {
  STRIPE_WEBHOOK_SECRET: "whsec_test_stripe_current_0123456789,whsec_test_stripe_next_9876543210",
  GITHUB_WEBHOOK_SECRET: "github-test-secret-0123456789",
  TWILIO_AUTH_TOKEN: "twilio-test-auth-token-0123456789",
  WEBHOOK_SENDERS: JSON.stringify({ docusign: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
} as const;
