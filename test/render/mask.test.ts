import { describe, expect, it } from 'vitest';
import { callingCode, MASK, maskId, maskJson, maskName, maskPhone, maskText, NO_MASK } from '../../src/render/mask.js';

describe('masking personal data', () => {
  it.each([
    ['+49 176 00000001', '+49 176 ••••• 01'],
    ['+4917600000001', '+49 176 ••••• 01'],
    ['+1 555 123-45-67', '+1 555 ••••• 67'],
    ['+52 155 3333 4444', '+52 155 ••••• 44'],
    ['+7 987 654-32-10', '+7 987 ••••• 10'],
    ['+595981222333', '+595 ••••• 33'],
    ['+15550001', '+1 ••••• 01'],
    ['+380 44 123 4567', '+380 ••••• 67'],
  ])('phone %s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['1', '1'],
    ['7', '7'],
    ['49', '49'],
    ['20', '20'],
    ['98', '98'],
    ['380', '380'],
    ['595', '595'],
    ['352', '352'],
    ['212', '212'],
  ])('calling code of %s… is %s', (cc, expected) => {
    expect(callingCode(`${cc}123456789`)).toBe(expected);
  });

  it.each([
    ['Jane Doe', 'J••• D••'],
    ['Jane (US office)', 'J••• (U• o•••••)'],
    ['Ölaf Übermann', 'Ö••• Ü•••••••'],
    ['', ''],
  ])('name %j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['4917600000001@c.us', '49 176 ••••• 01@c.us'],
    ['123456789012345@lid', '•••••45@lid'],
    ['11001234567-1587570015@g.us', '1 100 ••••• 67-1587570015@g.us'],
    ['120363043968066561@g.us', '120363043968066561@g.us'],
    ['+5215511112222', '+52 155 ••••• 22'],
    ['1101000001', '1101000001'],
    ['c-1', 'c-1'],
    ['MSG1a2b3c4d-0000-4000-8000-000000000001', 'MSG1a2b3c4d-0000-4000-8000-000000000001'],
  ])('id %s → %s', (id, masked) => {
    expect(maskId(id)).toBe(masked);
  });

  it('free text: ids, numbers, bare long digit runs and people named in entries; instance ids, timestamps and uuids stay', () => {
    expect(
      maskText('green-api.main/instance.1101000001/contact.79876543210@c.us: listed under remove: +7 987 654-32-10'),
    ).toBe('green-api.main/instance.1101000001/contact.7 987 ••••• 10@c.us: listed under remove: +7 987 ••••• 10');
    expect(maskText('listed under remove: 79876543219')).toBe('listed under remove: 7 987 ••••• 19');
    expect(maskText('listed under remove: {name: Jane *}')).toBe('listed under remove: {name: J••• *}');
    expect(maskText('listed under remove: {name: Promo *}', false)).toBe('listed under remove: {name: Promo *}');
    expect(
      maskText('2chat.support/number.+5215511112222/message.MSG1a2b3c4d-0000-4000-8000-000000000001 at 1587570015'),
    ).toBe('2chat.support/number.+52 155 ••••• 22/message.MSG1a2b3c4d-0000-4000-8000-000000000001 at 1587570015');
    expect(maskText('sha256:1105e0ac5772')).toBe('sha256:1105e0ac5772');
  });

  it('JSON: names by the kind of their collection or action, everything else as text; digests untouched', () => {
    const plan = {
      configDigest: 'sha256:12345678901234',
      collections: [
        {
          kind: 'contacts',
          address: 'g/instance.1/contacts',
          decisions: [{ id: '79876543210@c.us', name: 'Alice Work' }],
        },
        { kind: 'groups', decisions: [{ id: '11001234567-1587570015@g.us', name: 'Promo 2020' }] },
      ],
      actions: [{ type: 'delete-contact', target: { id: '15551234567@c.us', name: 'Jane Doe' } }],
    };
    expect(maskJson(plan, MASK)).toEqual({
      configDigest: 'sha256:12345678901234',
      collections: [
        {
          kind: 'contacts',
          address: 'g/instance.1/contacts',
          decisions: [{ id: '7 987 ••••• 10@c.us', name: 'A•••• W•••' }],
        },
        { kind: 'groups', decisions: [{ id: '1 100 ••••• 67-1587570015@g.us', name: 'Promo 2020' }] },
      ],
      actions: [{ type: 'delete-contact', target: { id: '1 555 ••••• 67@c.us', name: 'J••• D••' } }],
    });
    expect(maskJson(plan, NO_MASK)).toBe(plan);
  });

  it('the maskers: names of people only, identity when off', () => {
    expect(MASK.name('Jane Doe', 'contacts')).toBe('J••• D••');
    expect(MASK.name('Weekend football', 'groups')).toBe('Weekend football');
    expect(NO_MASK.text('+7 987 654-32-10')).toBe('+7 987 654-32-10');
  });
});

describe('masking in request lines and machine output', () => {
  it('URL-encoded chat ids and short phone fields', () => {
    expect(maskText('DELETE /open/whatsapp/message/WW-WPN1-5215500000003%40c.us/MSG1')).toBe(
      'DELETE /open/whatsapp/message/WW-WPN1-52 155 ••••• 03%40c.us/MSG1',
    );
    expect(maskJson({ facts: { kind: 'contact', phone: '15550008', remote: '+5215500000001' } }, MASK)).toEqual({
      facts: { kind: 'contact', phone: '1 ••••• 08', remote: '+52 155 ••••• 01' },
    });
  });
});

describe('masking provider facts in JSON', () => {
  it('first and last names, e-mail local parts', () => {
    expect(
      maskJson(
        { kind: 'contacts', facts: { firstName: 'Test', lastName: 'Contact', email: 'noah.ortiz@example.com' } },
        MASK,
      ),
    ).toEqual({ kind: 'contacts', facts: { firstName: 'T•••', lastName: 'C••••••', email: 'n•••.o••••@example.com' } });
  });
});
