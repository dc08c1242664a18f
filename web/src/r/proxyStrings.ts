/** 请网格员帮办 strings of the resident portal (zh-CN). */
export const px = {
  ask: '请网格员帮办',
  intro: '行动不便或不会网上办理？网格员可以为您代办，并与您联系。',
  note: '需要说明的情况（选填）',
  contactTime: '方便联系的时间（选填）',
  phone: '联系电话（选填）',
  community: '所在社区',
  pickCommunity: '请选择您所在的社区',
  consent: '我同意由网格员为我代办此事项',
  send: '提交帮办请求',
  sent: '已提交，网格员会与您联系',
  mine: '帮办请求',
  status: { open: '等待网格员接单', taken: '网格员已接单', done: '已代办', cancelled: '已取消' },
  takenBy: (n: string) => `接单网格员：${n}`,
  cancel: '取消请求',
} as const;
