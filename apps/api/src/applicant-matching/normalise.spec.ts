import {
  normaliseAddress,
  normaliseApplicant,
  normaliseEmail,
  normaliseName,
  normalisePhone,
} from './normalise';

describe('applicant normalisation', () => {
  it('writes a surname with initials one way whatever the case, ё, order and punctuation', () => {
    for (const name of [
      'Фёдоров Иван Петрович',
      'ФЕДОРОВ И.П.',
      'федоров и. п.',
      'И.П. Фёдоров',
      'Федоров  И П',
      'Фёдоров,И.П',
    ])
      expect(normaliseName(name)).toBe('федоров и п');
    expect(normaliseName('Федоров А.П.')).not.toBe(normaliseName('Федоров И.П.'));
    expect(normaliseName('  ')).toBeUndefined();
    expect(normaliseName(undefined)).toBeUndefined();
  });

  it('writes a postal address one way: abbreviations, kind words, postal code, region and spacing', () => {
    for (const address of [
      '653000, Кемеровская обл., пос. Каменный, ул. Ленина, д. 5, кв. 12',
      'п.Каменный ул.Ленина д.5 кв.12',
      'Каменный п., Ленина ул., дом 5, квартира 12',
      'посёлок Каменный, улица Ленина, 5 - 12',
      'Кемеровская область, Новокузнецкий р-н, поселок Каменный, ул Ленина д 5 кв 12',
    ])
      expect(normaliseAddress(address)).toBe('каменный ленина 5 12');
    expect(normaliseAddress('пос. Каменный, ул. Ленина, д. 5а')).toBe('каменный ленина 5а');
    expect(normaliseAddress('пос. Каменный, ул. Ленина, д. 5 А')).toBe('каменный ленина 5а');
    expect(normaliseAddress('пос. Каменный, ул. Ленина, д. 7, кв. 12')).not.toBe(
      normaliseAddress('пос. Каменный, ул. Ленина, д. 5, кв. 12'),
    );
    expect(normaliseAddress('ул.')).toBeUndefined();
  });

  it('writes an e-mail and a phone one way', () => {
    expect(normaliseEmail('  Ivanov@Mail.RU ')).toBe('ivanov@mail.ru');
    expect(normaliseEmail('не указан')).toBeUndefined();
    for (const phone of ['+7 (384-2) 12-34-56', '8 384 212 34 56', '3842123456', '7-3842-12-34-56'])
      expect(normalisePhone(phone)).toBe('3842123456');
    expect(normalisePhone('12-34-56')).toBe('123456');
    expect(normalisePhone('112')).toBeUndefined();
  });

  it('finds the same applicant written three ways as one', () => {
    const ways = [
      {
        name: 'Фёдорова Анна Сергеевна',
        address: '653000, Кемеровская обл., пос. Каменный, ул. Садовая, д. 3, кв. 1',
        phone: '+7 (905) 123-45-67',
      },
      { name: 'ФЕДОРОВА А.С.', address: 'п. Каменный ул.Садовая д.3 кв.1', email: 'Fedorova@mail.ru' },
      {
        name: 'А. С. Федорова',
        address: 'Каменный пос., Садовая ул., дом 3, квартира 1',
        phone: '89051234567',
      },
    ].map(normaliseApplicant);
    const keys = ways.map((w) => new Set(w.map((e) => `${e.kind}:${e.value}`)));
    for (const k of keys) {
      expect(k.has('name:федорова а с')).toBe(true);
      expect(k.has('address:каменный садовая 3 1')).toBe(true);
    }
    expect(keys[0].has('phone:9051234567') && keys[2].has('phone:9051234567')).toBe(true);
  });
});
