// `npm run simulate:hotline`: plays a 12345 hotline centre against a running CivicGrid for
// the demo. It sends signed work orders to POST /api/integrations/hotline/orders (one of
// them twice, to show that a repeat finds the same case) and listens for the platform's
// signed status callbacks, printing each as it arrives. Start the server with the same
// HOTLINE_SECRET and with HOTLINE_CALLBACK_URL=http://localhost:3345/callbacks (`npm start`
// sets both for the demo). Options: --server <url> --orders <n> --port <n> --once.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.SERVER_URL ?? 'http://localhost:3000' },
    orders: { type: 'string', default: '3' },
    port: { type: 'string', default: process.env.CALLBACK_PORT ?? '3345' },
    once: { type: 'boolean', default: false },
  },
});
const secret = process.env.HOTLINE_SECRET ?? 'civicgrid-demo-12345-secret';

const sign = (timestamp, body) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** What callers of a street's 12345 line say, in the categories the demo maps. */
const calls = [
  ['城乡建设/市政设施/路灯', '钢铁大街与阿尔丁大街交叉口往北的路灯一排都不亮，晚上很黑'],
  ['城乡建设/市容环境/垃圾清运', '小区东门垃圾桶满了两天没人清运，味道很大'],
  ['城乡建设/市政设施/井盖', '人行道上有个井盖松动，踩上去会翻，容易伤人'],
  ['公共安全/噪声扰民', '楼下烧烤店每天营业到凌晨两点，音响声音很大'],
  ['城乡建设/供水供暖', '家里暖气不热，室温只有十四度，老人受不了'],
  ['城乡建设/物业管理', '电梯坏了一周物业一直不修，高层老人下不了楼'],
];

async function sendOrder(order) {
  const body = JSON.stringify(order);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${values.server}/api/integrations/hotline/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hotline-timestamp': timestamp,
      'x-hotline-signature': sign(timestamp, body),
    },
    body,
  });
  const reply = await res.json().catch(() => null);
  if (res.status === 401)
    console.log('  签名被拒：平台的 HOTLINE_SECRET 与本模拟器的不同（设置同一个 HOTLINE_SECRET 再试）');
  console.log(`→ 工单 ${order.orderNo} [${order.category}] ${res.status}`, reply);
  return res.status;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const ts = String(req.headers['x-hotline-timestamp'] ?? '');
    const sig = String(req.headers['x-hotline-signature'] ?? '');
    const want = Buffer.from(sign(ts, body), 'hex');
    const got = Buffer.from(/^[0-9a-f]{64}$/i.test(sig) ? sig : '', 'hex');
    const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
    const ok = fresh && got.length === want.length && timingSafeEqual(want, got);
    res.statusCode = ok ? 200 : 401;
    res.end();
    let p = {};
    try {
      p = JSON.parse(body);
    } catch {}
    console.log(
      `← 回调 ${ok ? '验签通过' : '验签失败'} 工单 ${p.orderNo} ${p.status}`,
      p.result ?? '',
      p.rating ?? '',
    );
  });
});

await new Promise((r) => server.listen(Number(values.port), r));
console.log(`12345 模拟中心: 回调地址 http://localhost:${values.port}/callbacks，平台 ${values.server}`);

const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
const sent = [];
for (let i = 0; i < Number(values.orders); i++) {
  const [category, content] = calls[randomInt(calls.length)];
  const order = {
    orderNo: `GD${day}${String(randomInt(1_000_000)).padStart(6, '0')}`,
    category,
    content,
    address: '包头市昆都仑区',
    location: { lat: 40.64 + randomInt(-200, 200) / 10_000, lng: 109.83 + randomInt(-300, 300) / 10_000 },
    caller: { name: '市民', phone: `139${String(randomInt(100_000_000)).padStart(8, '0')}` },
    receivedAt: new Date().toISOString(),
  };
  try {
    await sendOrder(order);
  } catch (e) {
    console.error(
      `无法连接平台 ${values.server}（${e.cause?.code ?? e.message}）：先启动服务器（npm start）`,
    );
    process.exit(1);
  }
  sent.push(order);
}
if (sent[0]) {
  console.log('再次发送第一张工单（应返回 200 与同一事件）:');
  await sendOrder(sent[0]);
}
if (values.once) server.close();
else console.log('等待平台回调（受理、派遣、办结、结案）… Ctrl-C 退出');
