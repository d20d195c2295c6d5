/**
 * Errors the gateway adapters (WeChat Pay v3, Alipay) throw on outbound calls and credential
 * parsing. Callback verification failures use `CallbackRejectedError` from the contract instead.
 */

/**
 * An outbound call to a payment gateway failed.
 * - `unavailable`: network error, timeout or 5xx — safe to retry later with the same request ids.
 * - `signature`: the response was not signed by the gateway (or the signature is stale) — treat
 *   it as if no answer came; never act on its content.
 * - `rejected`: the gateway answered, correctly signed, with a business error (`code` is the
 *   gateway's, e.g. WeChat `NOT_ENOUGH`, Alipay `ACQ.TRADE_HAS_CLOSE`).
 * - `unexpected`: the answer was signed but did not have the documented shape.
 */
export class ProviderRequestError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'signature' | 'rejected' | 'unexpected',
    message: string,
    readonly details: { status?: number; code?: string } = {},
  ) {
    super(message);
    this.name = 'ProviderRequestError';
  }
}

/** Merchant credentials that cannot be used; `fields` name each bad field (for a 400 response). */
export class InvalidCredentialsError extends Error {
  constructor(readonly fields: { field: string; messages: string[] }[]) {
    super(`invalid payment credentials: ${fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ')}`);
    this.name = 'InvalidCredentialsError';
  }
}
