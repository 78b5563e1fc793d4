/**
 * The alert routes of the customer API, as functions of a client (not methods: a page without
 * alert-settings does not download them). `alerts(client)`, `createAlert(client, {...})`, …
 */
import type {
  AlertsOverviewView,
  DestinationCreateRequest,
  DestinationView,
  PreviewView,
  SubscriptionCreateRequest,
  SubscriptionUpdateRequest,
  SubscriptionView,
} from '../../server/alerts/schemas.js';
import type { MessageResponse } from '../../server/sessions/schemas.js';
import type { PortalClient } from './client.js';

/** The contact's alerts, where they go, and what the provider offers. */
export function alerts(client: PortalClient, signal?: AbortSignal): Promise<AlertsOverviewView> {
  return client.request('GET', '/alerts', { signal });
}

export function createAlert(client: PortalClient, alert: SubscriptionCreateRequest, signal?: AbortSignal): Promise<SubscriptionView> {
  return client.request('POST', '/alerts/subscriptions', { body: alert, signal });
}

export function updateAlert(client: PortalClient, id: number, changes: SubscriptionUpdateRequest, signal?: AbortSignal): Promise<SubscriptionView> {
  return client.request('PATCH', '/alerts/subscriptions/:id', { params: { id }, body: changes, signal });
}

export function deleteAlert(client: PortalClient, id: number, signal?: AbortSignal): Promise<void> {
  return client.request('DELETE', '/alerts/subscriptions/:id', { params: { id }, signal });
}

/** Adds an email address (a confirmation link is sent to it) or a phone (a code is sent to it). */
export function addAlertDestination(client: PortalClient, destination: DestinationCreateRequest, signal?: AbortSignal): Promise<DestinationView> {
  return client.request('POST', '/alerts/destinations', { body: destination, signal });
}

export function removeAlertDestination(client: PortalClient, id: number, signal?: AbortSignal): Promise<void> {
  return client.request('DELETE', '/alerts/destinations/:id', { params: { id }, signal });
}

export function verifyPhone(client: PortalClient, id: number, code: string, signal?: AbortSignal): Promise<DestinationView> {
  return client.request('POST', '/alerts/destinations/:id/verify', { params: { id }, body: { code }, signal });
}

/** Another code or link; 429 (PortalApiError.retryAfter) during the cooldown. */
export function resendVerification(client: PortalClient, id: number, signal?: AbortSignal): Promise<DestinationView> {
  return client.request('POST', '/alerts/destinations/:id/resend', { params: { id }, signal });
}

export function resumeAlertDestination(client: PortalClient, id: number, signal?: AbortSignal): Promise<DestinationView> {
  return client.request('POST', '/alerts/destinations/:id/resume', { params: { id }, signal });
}

export function previewAlert(client: PortalClient, preview: { event: string; channel: string; jobId?: number }, signal?: AbortSignal): Promise<PreviewView> {
  return client.request('POST', '/alerts/preview', { body: preview, signal });
}

export function sendTestAlert(client: PortalClient, destinationId: number, signal?: AbortSignal): Promise<MessageResponse> {
  return client.request('POST', '/alerts/test', { body: { destinationId }, signal });
}
