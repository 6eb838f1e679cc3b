import { EmailMailbox } from './inbound-email';
import { tidyLine } from './email-text';

/** An address header as mailparser returns it (one object or a list, groups nested). */
export type AddressHeader =
  | { value: ReadonlyArray<{ name?: string; address?: string; group?: ReadonlyArray<{ name?: string; address?: string }> }> }
  | ReadonlyArray<{ value: ReadonlyArray<{ name?: string; address?: string; group?: ReadonlyArray<{ name?: string; address?: string }> }> }>
  | undefined;

/** Every mailbox of an address header, groups flattened; `address` null unless it looks like one. */
export function mailboxes(header: AddressHeader): EmailMailbox[] {
  if (!header) return [];
  const objects = Array.isArray(header) ? header : [header as Exclude<AddressHeader, readonly unknown[] | undefined>];
  const result: EmailMailbox[] = [];
  for (const object of objects) {
    for (const entry of object.value ?? []) {
      for (const box of entry.group ?? [entry]) {
        const address = tidyLine(box.address).toLowerCase();
        const name = tidyLine(box.name);
        if (!address && !name) continue;
        result.push({ address: /^[^@\s]+@[^@\s]+$/.test(address) ? address : null, name: name || null });
      }
    }
  }
  return result;
}

/** The first mailbox of a header, preferring one with a usable address; null when none. */
export function firstMailbox(header: AddressHeader): EmailMailbox | null {
  const list = mailboxes(header);
  return list.find((m) => m.address) ?? list[0] ?? null;
}

/** The usable addresses of a header, without duplicates. */
export function addressList(header: AddressHeader): string[] {
  return [...new Set(mailboxes(header).flatMap((m) => (m.address ? [m.address] : [])))];
}
