import { afterEach, describe, expect, it } from 'vitest';
import { countyCodesEver } from '../areas/county-codes-ever.js';
import { zIdNumber } from '../schemas/identity.js';
import {
  ID_NUMBER_MESSAGES,
  idNumberCheckChar,
  PROVINCE_CODES,
  regionShapeOk,
  setCountyCodesEver,
  validateIdNumber,
} from './id-number.js';

/** Builds a number whose check character is right, so each case proves the region rule, not the checksum. */
const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);

afterEach(() => setCountyCodesEver(null));

describe('身份证号码: the region part (GB/T 2260)', () => {
  it('refuses 111111199901101514 with the region message, with and without the data (北京 only had 1101/1102)', () => {
    expect(idNumberCheckChar('11111119990110151')).toBe('4'); // the check character is right: only the region is wrong
    expect(validateIdNumber('111111199901101514')).toBe('region');
    setCountyCodesEver(countyCodesEver());
    expect(validateIdNumber('111111199901101514')).toBe('region');
    const r = zIdNumber.safeParse('111111199901101514');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('身份证号码的地区码不存在');
    expect(ID_NUMBER_MESSAGES.region).toBe('身份证号码的地区码不存在');
  });

  it('accepts a current code (500103 重庆市渝中区)', () => {
    setCountyCodesEver(countyCodesEver());
    expect(validateIdNumber(withCheck('50010320100101123'))).toBeNull();
  });

  it('accepts retired codes that were published: an ID keeps the code of where it was issued', () => {
    setCountyCodesEver(countyCodesEver());
    // 500225 重庆市大足县: in GB/T 2260 from 1997 to the 2010-10 revision; merged with 双桥区 (500111) into
    // 大足区 in 2011, which took 500111. Born 2008, so this is the set, not the pre-2002 leniency.
    expect(validateIdNumber(withCheck('50022520080315123'))).toBeNull();
    // 510122 四川省成都市双流县: in every revision from 2002-12 to 2015-09; 双流区 (510116) since 2016.
    expect(validateIdNumber(withCheck('51012220100101123'))).toBeNull();
  });

  it('on the server, refuses a well-shaped code that was never published for a number issued after 2002', () => {
    expect(validateIdNumber(withCheck('50019920100101123'))).toBeNull(); // the web's data-free check lets it through
    setCountyCodesEver(countyCodesEver());
    expect(validateIdNumber(withCheck('50019920100101123'))).toBe('region');
  });

  it('keeps codes retired before the data begins (2002-12) valid for numbers that may have been issued then', () => {
    setCountyCodesEver(countyCodesEver());
    // 500221 重庆市长寿县 became 长寿区 (500115) in 2001, before the oldest revision of the data.
    expect(validateIdNumber(withCheck('50022119700101123'))).toBeNull();
    // GB 11643's own printed example: 440524 广东省汕头市潮阳县 (a 县级市 since 1993).
    expect(validateIdNumber('440524188001010014')).toBeNull();
    // Born 2010, a number carrying a code retired in 2001 cannot have been issued.
    expect(validateIdNumber(withCheck('50022120100101123'))).toBe('region');
  });

  it('the data-free shape check follows the standard', () => {
    expect(regionShapeOk('500103')).toBe(true);
    expect(regionShapeOk('500381')).toBe(true); // 重庆's 县级市 (永川 1997–2006) under 5003
    expect(regionShapeOk('500400')).toBe(false);
    expect(regionShapeOk('110300')).toBe(false);
    expect(regionShapeOk('510100')).toBe(false); // a city, not a county-level code
    expect(regionShapeOk('659001')).toBe(true); // 省直辖县级行政区划 (石河子市)
    expect(regionShapeOk('518101')).toBe(false);
  });

  it('the set is built once, holds only county-level codes, and agrees with the shape check', () => {
    const codes = countyCodesEver();
    expect(countyCodesEver()).toBe(codes);
    expect(codes.size).toBeGreaterThan(4000);
    expect(codes.has('500103')).toBe(true);
    expect([...codes].filter((c) => c.endsWith('00'))).toEqual([]);
    expect([...codes].filter((c) => PROVINCE_CODES.has(c.slice(0, 2)) && !regionShapeOk(c))).toEqual([]);
  });
});
