/** @dbbackup/notify: tell people about backups (email, webhooks, Slack), batched, escalated, retried. See README.md. */
export {
  type CreateNotifyDispatcherOptions,
  createNotifyDispatcher,
} from './create-notify-dispatcher.js';
export { NotifyConfigError, NotifyDeliveryError, NotifyError } from './errors.js';
export {
  isNotifyEventName,
  type JsonObject,
  type JsonValue,
  NOTIFY_EVENT_NAMES,
  type NotifyEvent,
  type NotifyEventInput,
  type NotifyEventName,
  type NotifyStatus,
  type Severity,
  STATUS_OF_EVENT,
} from './events.js';
export type { NotificationMessage } from './notification-message.js';
export type { Notifier, NotifierDelivery, NotifierSendOptions } from './notifier.js';
export {
  DEFAULT_ATTEMPTS,
  DEFAULT_BATCH_WINDOW_MS,
  DEFAULT_ESCALATE_AFTER,
  DEFAULT_SMTP_PORT,
  DEFAULT_TIMEOUT_MS,
  type NotifyConfig,
  type SmtpConfig,
  type WebhookConfig,
} from './notify-config.js';
export { type Environment, NOTIFY_ENV_VARIABLES, notifyConfigFromEnv } from './notify-config-from-env.js';
export {
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  type NotifierRoute,
  NotifyDispatcher,
  type NotifyDispatcherOptions,
} from './notify-dispatcher.js';
export type { SecretValue } from './secret-value.js';
export {
  type NotifierTestReport,
  type SendTestNotificationOptions,
  sendTestNotification,
} from './send-test-notification.js';
export type { WebhookPayload } from './webhook-payload.js';
export { SIGNATURE_HEADER, webhookSignature } from './webhook-signature.js';
export type { WebhookFormat } from './webhook-url.js';
