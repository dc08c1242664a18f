import { describe, expect, it } from 'vitest';
import { deliverSms, smsStats } from './notify.js';

describe('sending texts', () => {
  it('logs and counts a failed text without the number or the text, and still sends the others', async () => {
    const sent: string[] = [];
    const warnings: unknown[] = [];
    const before = smsStats();
    await deliverSms(
      {
        send: async (phone) => {
          if (phone === '13900000001') throw new Error('provider down');
          sent.push(phone);
        },
      },
      { warn: (obj: unknown) => warnings.push(obj) },
      [
        { phone: '13900000001', text: '您反映的问题已处理完毕', ref: 'SJ20261202000001' },
        { phone: '13900000002', text: '您反映的问题已处理完毕', ref: 'SJ20261202000002' },
      ],
    );
    expect(sent).toEqual(['13900000002']);
    expect(smsStats()).toEqual({ sent: before.sent + 1, failed: before.failed + 1 });
    expect(warnings).toHaveLength(1);
    const line = JSON.stringify(warnings[0]);
    expect(line).toContain('SJ20261202000001');
    expect(line).not.toContain('13900000001');
    expect(line).not.toContain('处理完毕');
  });
});
