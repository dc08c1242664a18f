import { describe, expect, it } from 'vitest';
import { atPlace, checkInWindow, creditedMinutes, hoursOf } from './volunteers.js';

const at = (hhmm: string) => new Date(`2026-05-01T${hhmm}:00+08:00`);
const activity = { startsAt: at('09:00'), endsAt: at('11:30') };

describe('checking in at the place', () => {
  const place = { lat: 40.6574, lng: 109.8403, radiusM: 200 };
  it('is inside the radius a short walk away and outside it a kilometre off', () => {
    // 0.001° of latitude is about 111 m.
    expect(atPlace(place, { lat: 40.6584, lng: 109.8403 })).toMatchObject({ inside: true });
    const far = atPlace(place, { lat: 40.6664, lng: 109.8403 });
    expect(far.inside).toBe(false);
    expect(far.distance).toBeGreaterThan(990);
    expect(far.distance).toBeLessThan(1010);
  });
});

describe('the check-in window', () => {
  it('opens an hour before the start and closes at the end', () => {
    expect(checkInWindow(activity, at('07:59'))).toBe('early');
    expect(checkInWindow(activity, at('08:00'))).toBe('open');
    expect(checkInWindow(activity, at('11:30'))).toBe('open');
    expect(checkInWindow(activity, at('11:31'))).toBe('ended');
  });
});

describe('credited time', () => {
  it('is the overlap of the stay with the activity’s hours, in whole minutes', () => {
    expect(creditedMinutes(activity, at('09:00'), at('11:30'))).toBe(150);
    // Early arrival and a late stay are not service time.
    expect(creditedMinutes(activity, at('08:15'), at('12:40'))).toBe(150);
    expect(creditedMinutes(activity, at('10:00'), at('10:45'))).toBe(45);
    expect(creditedMinutes(activity, at('11:40'), at('12:00'))).toBe(0);
    expect(creditedMinutes(activity, new Date(at('09:00').getTime() + 59_000), at('09:02'))).toBe(1);
  });
  it('shows as hours with one decimal', () => {
    expect(hoursOf(150)).toBe(2.5);
    expect(hoursOf(45)).toBe(0.8);
    expect(hoursOf(0)).toBe(0);
  });
});
