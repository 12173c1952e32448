import type { RunningEmulator } from '../../src/emulator/server.js';

/** The emulator's world as sorted addresses (live resources only): compare before/after an apply. */
export function worldAddresses(emu: RunningEmulator): string[] {
  const w = emu.world();
  const out: string[] = [];
  for (const [id, inst] of w.instances) {
    if (inst.info.deleted) continue;
    out.push(`green-api/instance.${id}`);
    for (const c of inst.contacts.keys()) out.push(`green-api/instance.${id}/contact.${c}`);
    for (const g of inst.groups.keys()) out.push(`green-api/instance.${id}/group.${g}`);
  }
  for (const [id, ws] of w.workspaces) for (const c of ws.contacts.keys()) out.push(`wabotify/${id}/contact.${c}`);
  for (const [key, acc] of w.twoChat) {
    for (const n of acc.numbers.values()) {
      out.push(`2chat/${key}/number.${n.info.phone_number}`);
      for (const m of n.messages.keys()) out.push(`2chat/${key}/number.${n.info.phone_number}/message.${m}`);
    }
    for (const c of acc.contacts.keys()) out.push(`2chat/${key}/contact.${c}`);
  }
  return out.sort();
}

/** What the example plan removes, in the same notation. */
export const EXAMPLE_REMOVALS = [
  'green-api/instance.1101000001/group.11001234567-1587570015@g.us',
  'green-api/instance.1101000001/group.120363043968066563@g.us',
  'green-api/instance.1101000001/contact.79876543219@c.us',
  'green-api/instance.1101000001/contact.79876543220@c.us',
  'green-api/instance.1101000001/contact.79876543221@c.us',
  'green-api/instance.1101000003',
  'green-api/instance.1101000003/contact.79876543240@c.us',
  'green-api/instance.1101000003/contact.79876543241@c.us',
  'green-api/instance.1101000003/contact.79876543242@c.us',
  'green-api/instance.1101000003/contact.79876543243@c.us',
  'green-api/instance.1101000003/group.120363043968066570@g.us',
  'wabotify/ws-1/contact.c-8',
  'wabotify/ws-1/contact.c-9',
  '2chat/UAK-1/contact.CON5dbf28a9-0005',
  '2chat/UAK-1/number.+5215511112222/message.MSG1a2b3c4d-0000-4000-8000-000000000001',
  '2chat/UAK-1/number.+5215511112222/message.MSG1a2b3c4d-0000-4000-8000-000000000002',
  '2chat/UAK-1/number.+5215511112222/message.MSG205dec10-523d-4ab3-b739-fd56e7cdeba2',
  '2chat/UAK-1/number.+5215533334444',
];

/** The example world after the example plan: everything before, minus the removals. */
export function expectedAfter(before: readonly string[]): string[] {
  const gone = new Set(EXAMPLE_REMOVALS);
  return before.filter((a) => !gone.has(a));
}
