import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addWorkingDays, isoDate } from '../server/working-days.js';
import { REGION_PROFILES } from '../server/region-profiles.js';

describe('addWorkingDays', () => {
  it('skips weekends and the day of submission', () => {
    assert.equal(isoDate(addWorkingDays(new Date(2026, 10, 27), 1)), '2026-11-30'); // Friday → Monday
    assert.equal(isoDate(addWorkingDays(new Date(2026, 10, 28), 3)), '2026-12-02'); // Saturday → Wednesday
  });
  it('skips the region holidays, which differ between regions', () => {
    const [east, west] = REGION_PROFILES;
    assert.equal(isoDate(addWorkingDays(new Date(2026, 10, 30), 2, east!.holidays)), '2026-12-02');
    assert.equal(isoDate(addWorkingDays(new Date(2026, 10, 30), 2, west!.holidays)), '2026-12-04'); // 12-01 and 12-02 are off
    assert.equal(isoDate(addWorkingDays(new Date(2026, 8, 30), 1, east!.holidays)), '2026-10-08'); // National Day week
  });
});
