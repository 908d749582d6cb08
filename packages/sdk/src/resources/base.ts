import type { CallSpec, Transport } from '../http.js';

/** What every resource group shares: the transport. */
export abstract class Resource {
  constructor(protected readonly t: Transport) {}

  protected call<T>(spec: CallSpec): Promise<T> {
    return this.t.request<T>(spec);
  }
}
