/** Deterministic, realistic Chinese names and mobile numbers for generated staff. */
const surnames =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const givenChars =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱妹香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽峰建国志刚海燕德胜文博子豪浩然宇轩';

export function personName(rand: () => number): string {
  const pick = (s: string) => s[Math.floor(rand() * s.length)] as string;
  return pick(surnames) + pick(givenChars) + (rand() < 0.7 ? pick(givenChars) : '');
}

const prefixes = [
  '130',
  '131',
  '132',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '158',
  '159',
  '177',
  '186',
  '188',
  '189',
];

export function mobile(rand: () => number): string {
  const p = prefixes[Math.floor(rand() * prefixes.length)] as string;
  return p + String(Math.floor(rand() * 1e8)).padStart(8, '0');
}
