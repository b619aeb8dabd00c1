/**
 * Triage rules for the languages of the neighbouring countries reporters write from:
 * Vietnamese, Thai and Burmese. Fewer words than English and Chinese, chosen by concept
 * (saw / know, my child / lost, adopt, my report, sell / hand over, now / tonight / tomorrow,
 * hitting / locked up, past markers), so that the common messages sort and urgent ones are seen.
 *
 * Thai and Burmese are written without spaces between words: their phrases match anywhere,
 * so each is long enough not to occur inside an unrelated word. Their digits are folded to
 * ASCII before matching (`foldDigits`), so `หมายเลข ๕` reads as `หมายเลข 5`.
 */

import { kw, now, re, strong } from './rule-kit.ts';
import type { LanguageRuleSet } from './rules.ts';

// ───────────────────────────────────────────── Vietnamese

/** Letters only Vietnamese uses among Latin-script languages: the set applies wherever they appear. */
export const VIETNAMESE_SCRIPT = /[ơưăđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

/** Vietnamese, with a few common phrases also as typed without diacritics. */
export const VIETNAMESE: LanguageRuleSet = {
  id: 'vi',
  languages: ['vi'],
  script: VIETNAMESE_SCRIPT,
  categories: {
    tip: [
      ...kw(3, 'tôi thấy', 'tôi đã thấy', 'tôi nhìn thấy', 'tôi gặp', 'tôi đã gặp', 'đã gặp', 'nhận ra',
        'mua bán trẻ em', 'buôn bán trẻ em', 'bán trẻ em', 'bán con', 'bán em bé', 'bán đứa bé',
        'bán đứa trẻ', 'rao bán', 'buôn người', 'kẻ buôn', 'bọn buôn', 'toi thay', 'ban tre em',
        'mua ban tre em', 'buon nguoi', 'tôi biết ai', 'tôi có thông tin'),
      ...kw(2, 'thấy', 'gặp', 'tôi biết', 'giống', 'hàng xóm', 'nhà bên cạnh', 'đáng ngờ', 'khả nghi',
        'nghi ngờ', 'mua', 'bán', 'trong xóm', 'trong làng'),
      // Brokers who find children for buyers; a child that keeps changing.
      ...kw(3, 'môi giới', 'cò mồi', 'tôi nghi', 'đứa bé khác nhau', 'mỗi lần một đứa'),
      // Moving newborns across the border for pay: a report even when long past.
      re(3, /(?:trả tiền|thuê)[^.!?]{0,12}(?:chở|đưa|mang)|(?:chở|đưa|mang)\s+(?:trẻ|em bé|đứa bé|trẻ sơ sinh)[^.!?]{0,20}(?:qua|sang)\s+biên giới/, 'chở trẻ qua biên giới'),
      ...kw(2, 'anh ấy kể', 'chị ấy kể', 'kể là', 'nghe kể'),
      // Wishes for the children are comments.
      re(-4, /mong\s+(?:các|những)?\s*(?:bé|cháu|em)[^.!?]{0,20}(?:sớm|về|bình an|khỏe)/, 'mong các bé'),
      ...kw(-3, 'thật đau lòng', 'đau lòng quá', 'thật buồn'),
    ],
    family: [
      // A parent of a circulated child saying so: "tôi là mẹ của bé số 3".
      re(6, /tôi là (?:bố|mẹ|cha|ba|má|bà|ông)(?: ruột)? (?:của )?(?:bé|cháu|em bé) số/, 'là mẹ của bé số'),
      ...kw(4, 'con của em gái tôi', 'con của chị gái tôi', 'con của chị tôi', 'con của em tôi'),
      // Writing for a relative; the child's grandparent.
      re(6, /viết (?:thay|hộ|giùm) (?:cho )?(?:chị|em|anh|mẹ|bố|ba|má|con)/, 'viết thay cho chị'),
      re(6, /tôi là (?:bà|ông) (?:nội|ngoại)? ?(?:của )?(?:bé|cháu|em bé)/, 'bà ngoại của bé'),
      // Looks like my daughter / son / husband: a parent's likeness.
      re(5, /giống (?:con gái|con trai|con|chồng|vợ|cháu) (?:của )?(?:tôi|em|mình)|giống con(?=$|[\s]*[,.!?])/, 'giống con tôi'),
      ...kw(3, 'con tôi', 'con trai tôi', 'con gái tôi', 'con của tôi', 'cháu tôi', 'cháu nội tôi',
        'cháu ngoại tôi', 'tìm con', 'đang tìm con', 'con toi', 'con trai toi', 'con gai toi', 'tim con',
        'xét nghiệm adn', 'adn', 'có phải con tôi', 'bố mẹ ruột', 'cha mẹ ruột'),
      // Our child, finding our child again, the other parent sold our child.
      ...kw(3, 'con chúng tôi', 'con của chúng tôi', 'tìm lại con', 'muốn tìm con', 'con của em', 'con em',
        'muốn con về', 'đưa con về', 'con tôi về'),
      re(4, /(?:chồng|vợ|chồng cũ|vợ cũ) tôi (?:đã )?(?:bán|mang|đem|bắt)(?: mất)? con/, 'chồng tôi bán con'),
      re(3, /(?:vừa|mới) (?:bị )?(?:mất tích|biến mất|lạc|bị bắt)/, 'vừa mất tích'),
      ...kw(2, 'bị bắt cóc', 'bắt cóc', 'mất tích', 'bị mất', 'thất lạc', 'bị bắt', 'bi mat', 'mat tich',
        'gia đình', 'nốt ruồi', 'vết bớt'),
      // A sister or relative trafficked who bore a child there: that child is the writer's kin.
      ...kw(3, 'em gái tôi', 'chị gái tôi', 'em tôi bị bán', 'chị tôi bị bán', 'cháu tôi'),
      re(-4, /mong\s+(?:các|những)?\s*(?:bé|cháu|em)[^.!?]{0,20}(?:sớm|về|bình an|khỏe)/, 'mong các bé'),
    ],
    adoption: [
      ...kw(3, 'nhận nuôi', 'muốn nuôi', 'xin nuôi', 'nhận con nuôi', 'xin nhận', 'nhan nuoi'),
      ...kw(2, 'bao nhiêu tiền', 'nuôi dưỡng'),
      ...kw(3, 'muốn nhận', 'cho tôi nuôi', 'xin được nuôi', 'đón bé về nuôi'),
      ...kw(-4, 'quyên góp', 'ủng hộ tiền'),
    ],
    status: [
      ...kw(3, 'hồ sơ của tôi', 'có tin gì', 'có kết quả chưa', 'báo cáo của tôi', 'tiến độ', 'tin gì chưa',
        'đã gửi thông tin', 'tình hình báo cáo'),
      ...kw(2, 'hồ sơ', 'kết quả', 'tình hình', 'đã gửi', 'chưa ai trả lời'),
      // Nobody has called back about my report.
      ...kw(3, 'chưa ai liên lạc', 'chưa có ai liên lạc', 'không ai liên lạc', 'chưa ai gọi lại', 'chưa có ai gọi',
        'không ai gọi lại', 'tôi đã báo', 'đã báo tuần trước', 'tôi đã gửi'),
    ],
  },
  urgency: {
    danger: [
      ...kw(1, 'đánh', 'nguy hiểm', 'bị nhốt', 'nhốt', 'khóc', 'đe dọa', 'bị thương', 'bỏ rơi', 'ốm'),
      re(1, /(?:vừa|mới) (?:bị )?(?:mất tích|biến mất|bị bắt|bị bế đi)|\d+ phút trước/, 'vừa mất tích', { immediate: true }),
      ...now('đang đánh', 'chảy máu', 'sắp chết', 'cứu với', 'cứu bé', 'cứu em bé', 'cứu cháu', 'đang gặp nguy hiểm'),
    ],
    sale: [
      ...kw(1, 'bán', 'giao', 'mang đi', 'mang bé', 'mang đứa', 'đưa đi', 'đưa bé', 'chở', 'người mua',
        'lên xe', 'rời đi', 'sang trung quốc', 'qua biên giới', 'bế đi'),
      re(1, /(?:sẽ|sắp|đang|chuẩn bị)\s+(?:bán|giao|mang|đưa|chở)/, undefined, { immediate: true }),
    ],
    immediacy: [
      ...strong('ngay bây giờ', 'bây giờ', 'ngay lập tức', 'tối nay', 'đêm nay', 'ngày mai', 'sáng mai',
        'chiều nay', 'sắp', 'khẩn cấp', 'gấp', 'nhanh lên', 'đến nhanh', 'mau lên', 'ngay'),
      ...kw(1, 'hôm nay', 'đang', 'vẫn còn'),
    ],
    past: [
      ...kw(1, 'năm ngoái', 'trước đây', 'năm trước', 'hồi đó', 'hồi', 'đã bán', 'hôm qua', 'ngày xưa', 'rồi'),
      re(1, /(?:19|20)\d\d/, 'year'),
    ],
    calm: kw(1, 'an toàn', 'không nguy hiểm'),
    alarm: kw(1, 'khẩn cấp', 'nhanh lên', 'đến nhanh', 'đến ngay', 'cứu với', 'báo công an ngay', 'ngay bây giờ', 'mau lên'),
  },
  spam: [
    ...kw(0.5, 'vay tiền', 'nhà cái', 'cá cược', 'lô đề', 'tài xỉu', 'tiền ảo', 'tiền điện tử', 'đặt cọc trước',
      'dịch vụ tìm người', 'thám tử'),
    ...kw(0.3, 'đầu tư', 'tham gia ngay', 'lợi nhuận', 'hoa hồng'),
    re(0.5, /lãi\s?\d+(?:[.,]\d+)?\s?%/, 'lãi %'),
    ...kw(0.3, 'thế chấp', 'nạp', 'kiếm tiền', 'mỗi ngày', 'nhận tiền', 'lãi suất', 'giải ngân'),
    ...kw(0.2, 'tặng', 'tại nhà', 'uy tín', 'miễn phí', 'khuyến mãi', 'nhắn zalo', 'zalo'),
  ],
  abuse: [
    ...kw(0.7, 'đồ ngu', 'địt', 'đụ', 'mẹ mày', 'đm', 'vcl', 'đồ chó', 'lũ chó', 'thằng ngu'),
    ...kw(0.4, 'vô dụng', 'lừa đảo', 'đồ điên', 'rác rưởi', 'lũ'),
    // "ngu" (stupid), not "ngủ" typed without its mark: "thuoc ngu" (sleeping pills), "di ngu" (go to sleep).
    re(0.4, /(?<![\p{L}])(?<!(?:thuốc|thuoc|đi|di|buồn|buon|giấc|giac) )ngu(?![\p{L}])(?! (?:say|roi|rồi|trua|trưa))/u, 'ngu'),
  ],
  targets: kw(1, 'cảnh sát', 'bọn', 'công an', 'các người', 'mày', 'bọn mày', 'chúng mày', 'các anh', 'trang này'),
  greetings: ['xin chào', 'chào', 'chào bạn', 'chào anh', 'chào chị', 'alo', 'xin chao', 'chao'],
};

// ───────────────────────────────────────────── Thai

/** Thai. Phrases match anywhere (no spaces between words). */
export const THAI: LanguageRuleSet = {
  id: 'th',
  languages: ['th'],
  script: /[\u0e00-\u0e7f]/,
  categories: {
    tip: [
      ...kw(3, 'ผมเห็น', 'ฉันเห็น', 'เคยเห็น', 'เห็นเด็ก', 'ขายเด็ก', 'ค้ามนุษย์', 'ขายลูก', 'โพสต์ขาย',
        'ซื้อเด็ก', 'มีข้อมูล', 'แจ้งเบาะแส',
        // Brokers who find children for people who want one.
        'นายหน้า', 'หาเด็กให้', 'ผมสงสัย', 'ฉันสงสัย', 'เด็กไม่ซ้ำ'),
      ...kw(2, 'เห็น', 'รู้จัก', 'น่าสงสัย', 'เพื่อนบ้าน', 'บ้านข้างๆ', 'เหมือน', 'เจอ', 'อุ้ม'),
      // Slogans against trafficking are comments.
      ...kw(-3, 'ต้องหมดไป', 'ต้องหยุด', 'ไม่ควรเกิดขึ้น'),
    ],
    family: [
      re(6, /(?:ฉัน|ผม|ดิฉัน)(?:เป็น|คือ)(?:แม่|พ่อ|ยาย|ย่า|ตา|ปู่)(?:แท้ๆ)?(?:ของ)?(?:เด็ก)?(?:หมายเลข|รูปที่|คนที่)/, 'เป็นแม่ของหมายเลข'),
      ...kw(4, 'ลูกของน้องสาว', 'ลูกของพี่สาว', 'ลูกของน้องสาวฉัน', 'ลูกของพี่สาวผม'),
      // Writing for a relative; the child's grandparent.
      re(6, /เขียนแทน(?:พี่|น้อง|แม่|พ่อ|ลูก)/, 'เขียนแทนพี่สาว'),
      re(6, /(?:เป็น)?(?:ยาย|ย่า|ตา|ปู่)ของ(?:เด็ก|หลาน)/, 'ยายของเด็ก'),
      ...kw(3, 'ลูกของฉัน', 'ลูกชายของฉัน', 'ลูกสาวของฉัน', 'ลูกชายผม', 'ลูกสาวผม', 'ลูกผม', 'ลูกฉัน',
        'หลานของฉัน', 'หลานชายของผม', 'หลานสาวของผม', 'ตามหาลูก', 'ตามหา', 'ดีเอ็นเอ', 'ลูกของผม',
        'เป็นลูกของ'),
      // Our child, wanting our child back, the other parent sold our child, looks like my child.
      ...kw(3, 'ลูกของเรา', 'ลูกเรา', 'ได้ลูกคืน', 'อยากได้ลูกคืน', 'ลูกกลับมา', 'สามีขายลูก', 'ภรรยาขายลูก',
        'แฟนขายลูก', 'เพิ่งหายไป'),
      ...kw(4, 'เหมือนลูกของผม', 'เหมือนลูกผม', 'เหมือนลูกของฉัน', 'เหมือนลูกฉัน', 'เหมือนลูกเรา'),
      // Looks like my daughter / son / husband: a parent's likeness, whatever the word order.
      re(5, /เหมือน(?:ลูกสาว|ลูกชาย|สามี|ภรรยา|แฟน)(?:ของ)?(?:ฉัน|ผม|เรา)/, 'เหมือนลูกสาวฉัน'),
      ...kw(2, 'ลูกชาย', 'ลูกสาว', 'หลานชาย', 'หลานสาว', 'หายไป', 'หายตัว', 'ลักพาตัว', 'ถูกขโมย', 'พ่อแม่'),
      // A sister or relative trafficked abroad who bore a child there.
      ...kw(4, 'พี่สาวฉัน', 'น้องสาวฉัน', 'พี่สาวผม', 'น้องสาวผม', 'หลานฉัน', 'หลานผม'),
      ...kw(1, 'ปาน', 'ไฝ', 'แผลเป็น'),
    ],
    adoption: [
      ...kw(3, 'รับเลี้ยง', 'รับอุปการะ', 'บุตรบุญธรรม', 'รับเด็กมาเลี้ยง', 'อยากได้ลูก', 'ขอรับเด็ก'),
      ...kw(1, 'เลี้ยงดู'),
      ...kw(3, 'อยากเลี้ยง', 'ขอเลี้ยง', 'อยากรับ'),
      ...kw(0, 'อยากได้ลูกคืน', 'ได้ลูกคืน'),
      ...kw(-4, 'บริจาค'),
    ],
    status: [
      ...kw(3, 'ความคืบหน้า', 'ที่แจ้งไว้', 'เรื่องที่แจ้ง', 'แจ้งไป', 'ผลตรวจ', 'ติดต่อกลับ'),
      ...kw(2, 'แจ้งข้อมูลไป', 'ยังไม่มีใคร'),
      ...kw(3, 'ยังไม่มีคนติดต่อ', 'แจ้งไว้เมื่อ', 'แจ้งไปเมื่อ', 'แจ้งเบาะแสไป'),
    ],
  },
  urgency: {
    danger: [
      ...kw(1, 'ตีเด็ก', 'ทำร้าย', 'อันตราย', 'ถูกขัง', 'ขังไว้', 'ร้องไห้', 'ทารุณ', 'ข่มขู่', 'ไม่ได้กิน'),
      re(1, /เพิ่งหาย|หายไป(?:เมื่อ)?\s?\d+\s?นาที/, 'เพิ่งหายไป', { immediate: true }),
      ...now('กำลังตี', 'กำลังทำร้าย', 'เลือดออก', 'จะตาย', 'ช่วยด้วย', 'ช่วยเด็ก'),
    ],
    sale: [
      // "ขาย" (sell), but not the letters of "เขา ยัง" ("he still") run together.
      re(1, /(?<!เ)ขาย/, 'ขาย'),
      ...kw(1, 'ส่งเด็ก', 'ส่งมอบ', 'พาเด็ก', 'คนซื้อ', 'ผู้ซื้อ', 'ข้ามไป', 'ขึ้นรถ', 'ออกเดินทาง', 'พาไป'),
      re(1, /(?:จะ|กำลังจะ)(?:ขาย|ส่ง|พา)/, undefined, { immediate: false }),
    ],
    immediacy: [
      ...strong('ตอนนี้', 'เดี๋ยวนี้', 'คืนนี้', 'พรุ่งนี้', 'ด่วน', 'กำลังจะ', 'ทันที', 'รีบ', 'เร็วๆ'),
      ...kw(1, 'วันนี้', 'กำลัง', 'อยู่ที่นี่'),
    ],
    past: [
      ...kw(1, 'ปีที่แล้ว', 'ก่อน', 'เคย', 'เมื่อปี', 'เมื่อวาน', 'สมัยก่อน'),
      re(1, /(?:19|20|25)\d\d/, 'year'),
    ],
    calm: kw(1, 'ปลอดภัยแล้ว', 'ไม่อันตราย'),
    alarm: kw(1, 'ด่วน', 'ช่วยด้วย', 'รีบมา', 'เดี๋ยวนี้', 'แจ้งตำรวจ'),
  },
  spam: [
    ...kw(0.5, 'สล็อต', 'บาคาร่า', 'เว็บพนัน', 'เงินกู้', 'คาสิโน'),
    ...kw(0.4, 'เว็บตรง', 'โบนัส'),
    // Forged papers, "add our LINE".
    ...kw(0.5, 'รับทำบัตร', 'บัตรปลอม', 'ทักไลน์'),
    ...kw(0.3, 'ไม่ต้องค้ำ', 'อนุมัติไว', 'ฝากครั้งแรก', 'รายได้'),
    ...kw(0.5, 'รับจ้างตามหา', 'นักสืบ', 'คริปโต', 'โอนก่อน', 'ค่าธรรมเนียม'),
    ...kw(0.3, 'ลงทุน', 'ผลตอบแทน'),
    ...kw(0.2, 'ฟรี', 'โปรโมชั่น', 'สมัคร'),
  ],
  abuse: [
    ...kw(0.7, 'เหี้ย', 'สัส', 'ควาย', 'ไอ้สัตว์', 'อีดอก', 'มึงตาย'),
    ...kw(0.4, 'โง่', 'ไร้ประโยชน์', 'ห่วย', 'หลอกลวง', 'ขยะ'),
    // A bin or a dump is where a child may be found, not an insult.
    ...kw(0, 'ถังขยะ', 'กองขยะ'),
  ],
  targets: kw(1, 'ตำรวจ', 'พวกมึง', 'มึง', 'พวกแก', 'พวกคุณ'),
  greetings: ['สวัสดี', 'สวัสดีครับ', 'สวัสดีค่ะ', 'หวัดดี', 'ฮัลโหล'],
};

// ───────────────────────────────────────────── Burmese

/** Burmese (Myanmar script). Phrases match anywhere. */
export const BURMESE: LanguageRuleSet = {
  id: 'my',
  languages: ['my'],
  script: /[\u1000-\u109f]/,
  categories: {
    tip: [
      ...kw(3, 'တွေ့ခဲ့', 'တွေ့ဖူး', 'မြင်ခဲ့', 'မြင်ဖူး', 'ကလေးရောင်း', 'လူကုန်ကူး', 'ကလေးဝယ်'),
      ...kw(2, 'တွေ့', 'မြင်', 'အိမ်နီးချင်း', 'တူတယ်', 'သံသယ', 'ရောင်းတဲ့'),
      ...kw(1, 'သိတယ်'),
      // Sold (past) is still information: "ကလေးတစ်ယောက်ကို ... ရောင်းခဲ့တယ်".
      ...kw(3, 'ရောင်းခဲ့', 'ရောင်းစား'),
      ...kw(2, 'ရောင်းလိုက်'),
      // Brokers who sell children on.
      ...kw(3, 'ပွဲစား', 'ရောင်းပေးတဲ့'),
      // Paid to carry children across the border.
      ...kw(3, 'နယ်စပ်ဖြတ်', 'ဖြတ်ပို့'),
    ],
    family: [
      // A sibling's child, sold by in-laws or others: the writer's own family.
      // Writing for a sister or brother; the child's grandmother.
      re(6, /(?:အစ်မ|ညီမ|အစ်ကို|ညီ|အမေ|အဖေ)(?:အတွက်|ကိုယ်စား) ?ရေး/, 'အစ်မအတွက် ရေး'),
      re(6, /ကလေး(?:ရဲ့)? ?(?:အဖွား|အဘိုး)/, 'ကလေးရဲ့ အဖွား'),
      ...kw(4, 'ညီမရဲ့ ကလေး', 'အစ်မရဲ့ ကလေး', 'ညီမလေးရဲ့ ကလေး', 'ညီမရဲ့ကလေး', 'အစ်မရဲ့ကလေး', 'ယောက္ခမ'),
      re(6, /(?:နံပါတ်|နံပါတ် )\d+[^။]{0,6}(?:အမေ|အဖေ)(?:ပါ|ဖြစ်)/, 'နံပါတ်၏ အမေ'),
      ...kw(3, 'ကျွန်မသမီး', 'ကျွန်တော့်သမီး', 'ကျွန်တော့်သား', 'ကျွန်မသား', 'ကျွန်မ ကလေး', 'ကျွန်တော့် ကလေး',
        'ကျွန်မကလေး', 'ကျွန်တော့်ကလေး', 'ငါ့သား', 'ငါ့သမီး', 'ကလေးကို ရှာ', 'ရှာနေ'),
      ...kw(2, 'ပျောက်', 'ခိုးသွား', 'ပြန်ပေး', 'မှဲ့'),
      // Looks like my daughter / son / husband.
      re(5, /(?:ကျွန်မ|ကျွန်တော့်|ကျွန်တော်|ငါ့)(?:ရဲ့)? ?(?:သမီး|သား|ကလေး|ခင်ပွန်း|ယောက်ျား|မိန်းမ)(?:လေး)?(?:နဲ့|နှင့်) ?တူ/, 'ကျွန်မသမီးနဲ့ တူ'),
      // Our child; wanting the child back.
      ...kw(3, 'ကျွန်မတို့ကလေး', 'ကျွန်တော်တို့ကလေး', 'ပြန်လိုချင်', 'ပြန်ရချင်'),
    ],
    adoption: [...kw(3, 'မွေးစား'), ...kw(4, 'မွေးစားချင်')],
    status: [
      ...kw(3, 'တိုင်ကြားထား', 'သတင်းရှိပြီလား', 'တိုးတက်မှု'),
      // I gave information before; nobody has contacted me back.
      ...kw(3, 'သတင်းပေးခဲ့', 'ပြန်မဆက်သွယ်', 'ဆက်သွယ်မလာ', 'ပြန်မဖြေ', 'တိုင်ခဲ့'),
      ...kw(2, 'အခြေအနေ', 'ပေးခဲ့တဲ့ သတင်း'),
      // Reported before and heard nothing since.
      ...kw(3, 'သတင်းပို့ထား', 'မကြားရသေး', 'ဘာမှ မကြား'),
    ],
  },
  urgency: {
    danger: [
      ...kw(1, 'ရိုက်', 'အန္တရာယ်', 'ပိတ်ထား', 'ငို'),
      ...now('ရိုက်နေ', 'ကယ်ပါ', 'ကယ်ကြပါ'),
    ],
    sale: kw(1, 'ရောင်း', 'ဝယ်သူ', 'ခေါ်သွား', 'ထွက်သွား', 'ပေးမယ်', 'ပို့မယ်'),
    immediacy: [
      ...strong('အခု', 'ယနေ့', 'ဒီနေ့', 'ဒီည', 'မနက်ဖြန်', 'ချက်ချင်း', 'အမြန်', 'အရေးပေါ်', 'တော့မယ်'),
      ...kw(1, 'နေတယ်'),
    ],
    past: [
      ...kw(1, 'လွန်ခဲ့', 'မနှစ်က', 'တုန်းက', 'ဖူးတယ်'),
      re(1, /(?:19|20)\d\d/, 'year'),
    ],
    alarm: kw(1, 'အမြန်လာ', 'ကယ်ပါ', 'အရေးပေါ်', 'ချက်ချင်း'),
  },
  spam: [
    ...kw(0.5, 'ငွေချေး', 'ချေးငွေ', 'လောင်းကစား'),
    ...kw(0.3, 'အမြန်ရ', 'အတိုးနည်း'),
    ...kw(0.3, 'အာမခံမလို', 'ချက်ချင်းရ', 'ရင်းနှီးမြှုပ်နှံ', 'အမြတ်'),
    ...kw(0.5, 'ကြိုတင်ငွေ', 'စုံထောက်'),
  ],
  abuse: [
    ...kw(0.7, 'ခွေးကောင်', 'ခွေးမသား', 'လီး', 'စောက်'),
    ...kw(0.4, 'အသုံးမကျ', 'ငတုံး', 'အရူး', 'လိမ်'),
  ],
  targets: kw(1, 'ရဲ', 'မင်းတို့', 'ခင်ဗျားတို့'),
  greetings: ['မင်္ဂလာပါ', 'မင်္ဂလာပါခင်ဗျာ', 'မင်္ဂလာပါရှင်'],
};
