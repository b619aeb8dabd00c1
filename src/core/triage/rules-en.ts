/** English triage rules: keywords by category, urgency, advertising words, greetings. */

import { kw, now, re, strong } from './rule-kit.ts';
import type { LanguageRuleSet } from './rules.ts';

// ───────────────────────────────────────────── English

/** English. */
export const ENGLISH: LanguageRuleSet = {
  id: 'en',
  languages: ['en'],
  script: /[a-z]{2}/i,
  categories: {
    tip: [
      // Asking how to know the service is real is a question, not information ("how do i know this chat…").
      ...kw(0, 'how do i know', 'how can i know', 'how do we know'),
      // A child that appeared from nowhere, a price paid for a child, brokers and people shopping for one.
      re(3, /\bsuddenly (?:has|had|have|got|appeared with|showed up with) an? (?:new )?(?:baby|newborn|infant|child|\d+[ -]months?[ -]old)/, 'suddenly has a baby'),
      re(3, /\$\s?\d[\d,]*k? for (?:a|the|her|his|their) (?:baby|child|newborn|boy|girl|baby boy|baby girl)/, 'price for a child'),
      re(3, /\b(?:asking|asks|asked) (?:around )?(?:if|whether|where|who)[^.?!]{0,30}\b(?:get|buy|find) an? (?:baby|child|newborn|boy|girl|baby boy|baby girl)/, 'shopping for a child'),
      ...kw(3, 'broker', 'middleman', 'i suspect', 'money is no problem', 'money is no object', 'arrangements for', 'unwanted babies',
        'not sure this is useful', 'not sure if this is useful', 'not sure if this helps', 'different baby', 'different child', 'a different kid'),
      ...kw(3, 'i saw', "i've seen", 'i have seen', 'i seen', 'i know where', 'i know who',
        'i recognise', 'i recognize', 'i recognised', 'i recognized', 'i witnessed',
        'i spotted', 'i think i saw', 'i have information', "i've got information",
        'trafficker', 'traffickers', 'child trafficker', 'human trafficking', 'baby seller',
        'seller', 'sellers', 'smuggler', 'smugglers', 'tip-off', 'tip off'),
      ...kw(2, 'saw', 'seen', 'spotted', 'i know', 'recognise', 'recognize', 'looks like',
        'look like', 'resembles', 'neighbour', 'neighbor', 'neighbours', 'neighbors',
        'next door', 'in my village', 'suspicious', 'witness', 'selling', 'sold',
        'trafficking', 'lives with', 'living with', 'is staying with', 'same as the photo',
        'in the photo', 'information about', 'clue'),
      // Shadows: a longer phrase that wins over `i saw` and counts nothing ("I saw the news").
      ...kw(0, 'i saw the news', 'i saw the article', 'i saw the post', 'i saw the report',
        'i saw the video', 'i saw your post', 'saw the news', 'seen the news'),
      ...kw(1, 'address', 'the house', 'street', 'lives at', 'is at'),
      re(3, /\bneighbou?rs?\b[^.!?]{0,40}?\b(?:bought|buys|buying|adopted|got|has|have|suddenly|picked up|brought home)\b/, 'neighbour-got-child'),
      re(3, /\b(?:bought|buy|buying|sell|sells|selling|sold|offer|offers|offering|offered|paid for|pay for)\s+(?:(?:a|the|this|that|her|his|their|two|some|own)\s+)?(?:(?:baby|newborn|little)\s+)?(?:baby|babies|child|children|kid|kids|infant|girl|boy|newborn|son|daughter)\b/, 'child-sale'),
      re(3, /\b(?:baby|babies|child|children|kid|infant|newborn)\s+(?:sales?|selling|trade|trading|trafficking|brokers?|dealers?|sellers?)\b/, 'baby-sales'),
      re(3, /\b(?:was|were|got|been)\s+(?:bought|sold|purchased)\b/, 'was-bought'),
      re(3, /\bpaid\s+\S+\s+for\s+(?:a|the)\s+(?:baby|child|kid|boy|girl|newborn)\b/, 'paid-for-child'),
      ...kw(2, 'something is off', 'something off', 'something is wrong', 'something wrong', 'not right',
        'strange', 'weird', 'in my building', 'upstairs', 'downstairs', 'screenshots', 'brokers', 'broker',
        'arranged it', 'agent', 'gang', 'ring'),
      re(3, /\b(?:a|an|the|two|some|this|that)\s+(?:man|woman|men|women|couple|lady|guy|stranger|person|people)\b[^.!?]{0,30}?\b(?:with|carrying|holding|dragging|pulling|pushing)\s+(?:a|an|the|two|this|that|her|his)\s+(?:crying\s+|screaming\s+|little\s+)?(?:baby|babies|child|children|kid|kids|toddler|infant|newborn|girl|boy)\b/, 'stranger-with-child'),
      re(3, /\b(?:suddenly|just)\s+(?:had|has|have|got)\s+(?:a|an)\s+(?:new\s+)?(?:baby|newborn|infant|child|kid)\b/, 'suddenly-had-a-baby'),
      re(3, /\b(?:never|nobody was|no one was|wasn't|was not|not)\s+(?:ever\s+)?pregnant\b/, 'never-pregnant'),
      // Anyone seen with a child, not only "a man ... with a baby": "guy in a grey van ... has two infants".
      re(3, /\b(?:man|woman|guy|lady|couple|stranger|someone|somebody|person|people|men|women)\b[^.!?]{0,40}?\b(?:has|had|have|with|carrying|holding)\s+(?:a|an|the|two|three|some|several|this|that|her|his)\s+(?:crying\s+|screaming\s+|little\s+|small\s+)?(?:baby|babies|child|children|kid|kids|toddler|infants?|newborns?|girl|boy)\b/, 'someone-with-child'),
      // An attempted abduction.
      re(3, /\b(?:tried|trying|tries|try|attempted)\s+to\s+(?:pull|grab|drag|snatch|take|force|push|lure|abduct|kidnap|steal)\b/, 'tried-to-grab'),
      // Moving, brokering or placing children for money.
      re(3, /\b(?:drove|drive|drives|driving|moved|transported|smuggled|carried|brought)\s+(?:the\s+|some\s+|two\s+|three\s+)?(?:babies|children|kids|infants|newborns)\b/, 'moved-children'),
      re(3, /\b(?:gave|give|giving|handed|sold|passed)\s+(?:the|a|her|his|their)\s+(?:baby|child|kid|newborn|son|daughter)\s+(?:away|to)\b/, 'gave-the-baby-away'),
      re(3, /\b(?:found|finds|find|finding)\s+homes\s+for\b|'found homes'|\bpost(?:s|ed|ing)?\s+(?:babies|children|kids)\b/, 'found-homes'),
      ...kw(3, 'adopted privately', "adopted 'privately'", 'private adoption', 'for money', 'for cash', 'was involved with',
        'plate number', 'license plate', 'licence plate', 'not sure if this helps', 'not sure if this is useful',
        'this might help', 'might be useful', "for what it's worth", 'i overheard', 'overheard'),
      ...kw(2, 'charged', 'charges', 'charging', 'midwife', 'i can give', 'his name', 'her name', 'same birthmark',
        'his mother', 'her mother', 'his father', 'her father', "the baby's mother", "the kid's mother", 'forum', 'still up'),
      // Stories and opinions about the topic in general are comments.
      ...kw(-3, 'stories about', 'used to tell', 'tell stories'),
      // A verdict on parents who sell, in general ("parents who sell their kids shouldn't get them back"): an opinion.
      re(-5, /parents who (?:sell|sold|give away)|(?:should(?:n't| not| never)?|must(?:n't| not| never)?) (?:get|have|be given) (?:them|their (?:kids|children|babies)) back/, 'verdict-on-parents'),
      // Outrage about traffickers in general is a comment, not a tip (it weighs against `sellers`).
      ...kw(-3, 'deserve', 'deserves', 'death penalty', 'life in prison', 'terrible crime', 'should be punished',
        'should be executed', 'rot in jail', 'rot in hell'),
      // Hopes, outrage and disbelief at the news are comments, however strong the words.
      re(-4, /\b(?:hope|hoping|praying)\b[^.!?]{0,30}\b(?:gets? (?:better|well)|recovers?|finds?|safe|home|reunited)\b/, 'hope-they-get-better'),
      ...kw(-3, 'must never happen', 'should never happen', 'never again', 'is evil', 'unbelievable', 'i read that', 'i read about', 'get well soon'),
      // A price on a child, people moving children, a buyer talked about, a hedge before a report.
      re(3, /\bfor \$?\d[\d,.]*\s?k?\s?(?:rmb|yuan|usd|dollars|baht|dong|kyat|vnd)\b/, 'price-in-currency'),
      re(3, /\b(?:moving|moves|moved|transporting|smuggling)\s+(?:kids|children|babies|infants)\b|\b(?:getting|get|buying)\s+a\s+baby\b|\bprice\s+tags?\b/, 'moving-kids'),
      // "What should I do if someone is selling a baby?": a question about the service; disgust is a comment.
      ...kw(-4, 'what happens if', 'what should i do if', 'what if someone', 'if someone is', 'if i see', "it's awful", "it's disgusting", 'i think it is awful'),
      ...kw(-3, 'my grandmother told me', 'my grandfather told me', 'some things never change', 'what will happen to', 'is there even'),
      re(-3, /\bin the (?:19[0-8]0|[5-8]0)s\b/, 'in-the-1960s'),
      re(3, /\bbab(?:y|ies)(?: boys?| girls?)?\s+(?:available|for adoption)\b|\bno paperwork\b|\bgave (?:it|her|him|the baby) away\b/, 'baby-available'),
      ...kw(3, 'i know that face', 'buyer', 'a buyer', 'not sure if relevant', 'not sure if this is relevant', 'might be relevant', 'telegram group', 'posting baby'),
      re(2, /\b(?:a|my)\s+(?:student|colleague|customer|patient|coworker|co-worker|client)\s+told\s+me\b|\bi(?:'m| am) a (?:nurse|teacher|driver|doctor|midwife)\b/, 'told-me'),
    ],
    family: [
      // A parent of a circulated child saying so ("I am the father of baby #2") outweighs a sighting.
      re(6, /\bi(?:'m| am) (?:the |baby |child )?(?:(?:#|number |no\.? ?)\d+'s )?(?:real |birth |biological )?(?:father|mother|dad|mum|mom|parent|grandmother|grandfather|grandma|grandpa)(?: of (?:baby |child |the baby |photo )?(?:#|number |no\.? ?)\d+)?\b/, 'parent of #n'),
      // A relative who sold or gave away their own child and wants it back.
      re(4, /\bmy (?:sister|brother|daughter|son|cousin|niece|nephew|mother|mom|mum)\b[^.]{0,20}\b(?:sold|gave away|gave up|handed over) (?:her|his|their) (?:own )?(?:baby|child|son|daughter|boy|girl)/, 'relative sold her baby'),
      ...kw(3, 'wants to find him', 'wants to find her', 'want to find him', 'want to find her', 'wants him back', 'wants her back'),
      ...kw(3, 'my child', 'my children', 'my son', 'my daughter', 'my baby', 'my kid',
        'my boy', 'my girl', 'my grandson', 'my granddaughter', 'my grandchild', 'our son',
        'our daughter', 'our baby', 'our child', 'our kid', 'looking for my',
        'searching for my', 'my missing', 'find my', 'my lost'),
      ...kw(2, 'my brother', 'my sister', 'missing', 'went missing',
        'abducted', 'kidnapped', 'stolen', 'taken from me', 'taken from us', 'lost my',
        'biological', 'birth mother', 'birth father', 'i am the mother', 'i am the father',
        "i'm the mother", "i'm the father", 'mother of', 'father of'),
      re(4, /\b(?:looks?|looking|resembles?) (?:exactly |just )?like my (?:son|daughter|child|baby|boy|girl|grandson|granddaughter)\b/, 'looks-like-my-child'),
      re(3, /\b(?:is|be|are)\s+(?:mine|ours)\b/, 'is-mine'),
      re(3, /\b(?:we|i)\s+lost\s+(?:our|my|a)\s+(?:son|daughter|child|baby|boy|girl|kid)\b/, 'we-lost-our-child'),
      ...kw(3, 'my nephew', 'my niece', 'my sister\'s baby', 'my brother\'s son', 'my baby died', 'gave birth'),
      ...kw(1, "my son's", "my daughter's", "my kid's", "my child's", "my baby's"),
      ...kw(0, 'lost my phone', 'lost my case code', 'lost my code', 'lost my password', 'find my case', 'find my code',
        'find my report'),
      ...kw(1, 'birthmark', 'birth mark', 'born on', 'date of birth',
        'born in', 'mole', 'scar'),
      // Who is speaking: a parent or relative of their own child ("my 3 year old daughter",
      // "our boy", "I'm his aunt", "writing for my grandmother", "we want him back").
      re(3, /\bmy\s+(?:[\w-]+\s+){1,4}?(?:son|daughter|child|baby|boy|girl|kid|grandson|granddaughter|nephew|niece)\b/, 'my-n-year-old-child'),
      ...kw(3, 'our boy', 'our girl', 'our little', 'our babies', 'our children', 'our kids', 'our twins'),
      re(3, /\b(?:i'?m|i am)\s+(?:his|her|their|the (?:baby|child|kid|boy|girl)'s)\s+(?:aunt|auntie|uncle|grandmother|grandma|granny|grandfather|grandpa|mother|mom|mum|father|dad|sister|brother|cousin)\b/, 'im-his-aunt'),
      re(3, /\b(?:writing|asking|messaging|here)\s+(?:for|on behalf of)\s+my\b/, 'writing-for-my-relative'),
      re(3, /\bmy\s+(?:late\s+|younger\s+|older\s+|little\s+|big\s+)?(?:sister|brother|daughter|son|cousin|aunt|uncle)'s\s+(?:\w+\s+)?(?:baby|son|daughter|child|kid|boy|girl)\b/, 'relatives-child'),
      re(3, /\b(?:want|wants|bring|get|have)\s+(?:him|her|them|my \w+|our \w+)\s+back\b/, 'want-him-back'),
      // "Parents who sell their kids shouldn't get them back": a verdict on others, not our own child.
      re(-5, /parents who (?:sell|sold|give away)|(?:should(?:n't| not| never)?|must(?:n't| not| never)?) (?:get|have|be given) (?:them|their (?:kids|children|babies)) back/, 'verdict-on-parents'),
      re(2, /\bmy\s+(?:husband|wife|partner)'s\b/, 'my-husbands'),
      // The writer's own child was sold or taken: a family inquiry, however much it says about the sale.
      re(5, /\b(?:my|our)\s+(?:[\w-]+\s+){0,2}?(?:son|daughter|child|baby|boy|girl|kid)\s+(?:was|were|got|had been)\s+(?:sold|taken|stolen|abducted|kidnapped|snatched)\b/, 'our-child-was-sold'),
      re(2, /\b(?:her|his)\s+(?:granddaughter|grandson|grandchild)\s+was\b/, 'her-grandchild-was'),
      ...kw(2, 'was taken', 'were taken', 'was lost', 'got lost', 'disappeared', 'went missing'),
      // Searching for a relative who was sold or taken, or for one's birth family.
      re(4, /\b(?:looking for|searching for|trying to find|find)\s+(?:my|our|her|his)\s+(?:younger |older |little |big |baby )?(?:brother|sister|mother|father|mom|mum|dad|son|daughter|nephew|niece|cousin|birth (?:family|parents|mother|father))\b/, 'looking-for-my-brother'),
      ...kw(3, 'birth family', 'birth parents', 'biological parents', 'biological family'),
      re(4, /\blost my (?:\w+ )?(?:boy|girl|son|daughter|baby|child|kid)\b|\b(?:he|she)(?:'d| would) be \d+ now\b|\bsold our (?:\w+ )?(?:child|son|daughter|baby|boy|girl)\b/, 'lost-my-boy'),
      ...kw(-3, 'missing adults', 'do you also handle'),
    ],
    adoption: [
      re(2, /\badopt(?:s|ed|ing|ion|ive)?\b/, 'adopt'),
      ...kw(3, 'i want to adopt', 'we want to adopt', 'would like to adopt', "i'd like to adopt",
        "we'd like to adopt", 'can i adopt', 'can we adopt', 'how to adopt', 'how can i adopt',
        'how do i adopt', 'how do we adopt', 'want a baby', 'want a child', 'give him a home',
        'give her a home', 'give them a home', 'give a home', 'take him home', 'take her home',
        'take one home', 'foster',
        // Paying for one of them; taking some.
        'will pay any amount', 'pay any amount', 'money is not an issue', 'money is no object', "we'd take", 'we would take',
        "i'd take", 'i would take'),
      ...kw(2, 'fostering', 'foster care', 'childless', "can't have children",
        'cannot have children', "can't have kids", 'infertile', 'orphanage', 'welfare centre',
        'welfare center', 'raise him', 'raise her', 'raise the child', 'raise the baby',
        'how much for', 'how much is the baby', 'i will pay', "i'll pay", 'reserve'),
      re(4, /\b(?:i|we) (?:want|would like|'d like|wish|hope|am looking|are looking) to (?:buy|have|get|take) (?:a|one|this|that|the) (?:baby|child|kid|boy|girl)\b/, 'wants-a-child'),
      re(2, /\bcan (?:i|we) (?:have|get|take)\b/, 'can-i-have'),
      re(4, /\b(?:i|we)(?:'d| would)? (?:love|like|want|wish|hope|plan)s? to (?:raise|adopt|foster|take in|take care of|look after|have one of)\b/, 'would-love-to-raise'),
      re(3, /\btake (?:one|a baby|a child|him|her|one of (?:the|them|these|those)(?: \w+)?) home\b/, 'take-one-home'),
      re(3, /\b(?:pay|paying|money|cost|price)\b[^.!?]{0,30}\bfor (?:a|the|one|this|that) (?:baby|child|kid|boy|girl|newborn)\b/, 'pay-for-a-child'),
      // Someone (not only the writer) who wants to adopt, and giving a child a home.
      re(3, /\b(?:wants?|wanting|would like|hopes?|hoping|plans?|planning|wishes)\s+to\s+(?:adopt|foster|raise)\b/, 'wants-to-adopt'),
      re(3, /\bgive\s+(?:[\w#]+\s+){1,3}?(?:a\s+)?(?:loving\s+|good\s+|forever\s+|new\s+)?home\b/, 'give-a-home'),
      // Donating is a kindness, not an adoption.
      ...kw(-4, 'donate', 'donation', 'donations', 'donating'),
      re(4, /\bwe(?:'d| would| could| can| will) take (?:one|two|both|him|her|them|all|any)\b/, 'we-would-take-two'),
      ...kw(3, 'i can pay', 'we can pay', 'how much would it cost', 'give any of them', 'a loving home', 'loving home',
        'become a foster parent', 'foster parent'),
    ],
    status: [
      ...kw(3, 'status of my case', 'my case', 'case number', 'case code', 'my report',
        'my tip', 'any update', 'any updates', 'any news', 'any progress', 'update on',
        'what happened to my', 'follow up on'),
      ...kw(2, 'status', 'progress', 'follow up', 'follow-up', 'check on', 'any news on', 'news on my',
        'heard anything', 'did anything happen', 'checking in'),
      ...kw(3, 'never heard back', 'heard back', 'no reply', 'no response', 'nobody replied', 'nobody answered',
        'no one replied', 'no one got back', 'the information i gave', 'the tip i sent', 'i sent a tip', 'my information',
        'since my report', 'dna result', 'been compared'),
      ...kw(2, 'my dna sample'),
      // Asking after one's own earlier report.
      re(3, /\b(?:i|we)\s+(?:already\s+)?(?:reported|sent|submitted|called|messaged|gave)\b[^.!?]{0,40}?\b(?:ago|yesterday|last (?:week|month)|days? ago|earlier|before)\b/, 'reported-earlier'),
      re(4, /\b(?:no one|nobody|no-one|none of you)\s+(?:has\s+|have\s+|ever\s+)?(?:called|contacted|replied|answered|got back|responded|rang)\b/, 'nobody-called-back'),
      ...kw(0, "can't find my case code", 'lost my case code', 'forgot my case code', 'find my case code'),
      ...kw(3, 'did you catch', 'have you caught', 'is my report', 'still valid', 'did anyone read', 'anyone looked at'),
      // Following up one's own earlier message or tip.
      // Time passed since one's own report with nothing back ("it's been 10 days since I reported … nothing", "is anyone reading these?").
      re(4, /\b(?:it's been|it has been|been)\s+\w+\s+(?:days?|weeks?|months?)\s+since\s+(?:i|we)\s+(?:reported|sent|wrote|submitted|called|told)\b|\bis (?:anyone|anybody) (?:even )?(?:reading|checking|looking at) (?:these|this|my|the messages)\b/, 'time-since-my-report'),
      ...kw(3, 'my earlier message', 'my last message', 'i submitted a tip', 'i sent a tip', 'what happened with it', 'i left my number', 'no one replied', 'nobody replied', 'no reply'),
    ],
  },
  urgency: {
    danger: [
      ...kw(1, 'in danger', 'danger', 'dangerous', 'hurt', 'harm', 'crying', 'screaming',
        'locked up', 'locked in', 'abuse', 'abused', 'unsafe', 'not safe', 'threatening',
        'threatened', 'kidnapping', 'grabbed', 'taken away', 'being taken', 'taking the baby',
        'taking the child', 'injured', 'alone', 'abandoned', 'locked', 'trapped', 'sick', 'feverish', 'fever',
        'not breathing', 'no food', 'dragging', 'dragged'),
      // Present tense: "there's a baby locked in a car", "the infant is alone and crying".
      re(1, /\b(?:is|are|'s)\s+(?:(?:all|still|being|left|now)\s+)?(?:alone|locked|trapped|tied|chained|abandoned|bleeding|crying|screaming|unconscious)\b/, 'is-in-danger-now', { immediate: true }),
      re(1, /\bthere(?:'s| is| are)\s+(?:a|an|two|some)\s+(?:baby|babies|child|children|kid|kids|toddler|infant|girl|boy)\s+(?:locked|trapped|alone|left|abandoned|tied)\b/, 'child-left-alone', { immediate: true }),
      ...now('grabbed a', 'grabbed the', 'dragging a', 'dragging the', 'snatched'),
      // A child lost minutes ago, or an abduction being tried right now.
      re(1, /\b(?:just|only)\s+(?:now\s+)?(?:disappeared|vanished|went missing|got lost|been taken|was taken|was snatched|was grabbed)\b/, 'just-disappeared', { immediate: true }),
      re(1, /\b(?:disappeared|vanished|went missing|got lost|was taken|lost|snatched)\b[^.!?]{0,40}?\b(?:\d+|a few|few|five|ten|fifteen|twenty|thirty)\s+(?:minutes?|mins?)\s+ago\b/, 'minutes-ago', { immediate: true }),
      re(1, /\b(?:\d+|a few|few|five|ten|fifteen|twenty|thirty)\s+(?:minutes?|mins?)\s+ago\b[^.!?]{0,40}?\b(?:disappeared|vanished|went missing|got lost|was taken|snatched)\b/, 'minutes-ago', { immediate: true }),
      re(1, /\b(?:just\s+)?(?:tried|trying|tries|attempted)\s+to\s+(?:pull|grab|drag|snatch|take|force|push|lure|abduct|kidnap)\b/, 'tried-to-grab'),
      ...now('is in danger', 'are in danger', 'in danger now', 'in immediate danger', 'beating', 'being beaten', 'hitting the baby', 'hitting the child',
        'hitting the kid', 'hurting', 'being hurt', 'bleeding', 'dying', 'starving', 'choking',
        'unconscious', 'not breathing', "can't breathe", 'abusing', 'being abused', 'torturing',
        'strangling', 'drowning', 'going to kill', 'will kill', 'threatening to kill',
        'kill the baby', 'kill the child', 'save the baby', 'save the child',
        'life-threatening', 'life threatening'),
    ],
    sale: [
      // Plain `sold` is past tense: it makes a tip, not an emergency.
      ...kw(1, 'sell', 'sells', 'selling', 'being sold', 'to be sold', 'be sold', 'for sale',
        'hand over', 'handing over', 'broker', 'to a broker', 'handover', 'hand-over', 'deliver the baby',
        'delivering the baby', 'transport', 'transporting', 'smuggle', 'smuggling',
        'trafficking', 'move the baby', 'moving the baby', 'move the child', 'moving the child',
        'take the baby', 'take the child', 'buyer', 'buyers', 'meet the buyer',
        'pick up the baby', 'pick up the child', 'give the baby'),
      re(1, /\b(?:tak|mov|transport|smuggl|carry|carri|driv|ship|load|put)(?:e|es|ing|ed|ied|y)?\s+(?:(?:the|a|this|that|those|these|two|three|some|her|his|their)\s+)?(?:baby|babies|child|children|kid|kids|girl|boy|infants?|twins)\b/),
      re(1, /\b(?:is|are)\s+being\s+(?:moved|taken|sold|transported|smuggled|handed over|shipped|driven)\b/, 'being-moved'),
      re(1, /\b(?:hand|hands|handing|handed)\s+(?:[\w']+\s+){1,3}?over\b/, 'handing-her-baby-over'),
      re(1, /\b(?:drive|driving|drove|take|taking|head|heading|run|running)\s+(?:off|away)\b/, 'driving-off'),
      ...kw(1, 'across the border', 'cross the border', 'crossing the border', 'still circling', 'circling'),
      // Leaving: said of the people with the child, not of the writer ("I'm leaving for Kunming").
      re(1, /\b(?:they|he|she|them|couple|man|woman|men|women|guy|lady|family|people)\b[^.!?]{0,25}?\b(?:leaving|boarding|heading|driving off|driving away|getting on|packing up|moving out|about to leave)\b/, 'they-are-leaving'),
      re(1, /\b(?:leav|board|driv|head|run)(?:e|es|ing)\s+(?:\w+\s+)?with\s+(?:the|a|an|this|that|her|his|their|two)\s+(?:baby|babies|child|children|kid|kids|girl|boy|infant|toddler|newborn)\b/, 'leaving-with-child'),
      ...kw(1, 'drove off', 'buying tickets', 'on his way', 'on her way', 'on their way', 'is here',
        'are here', 'with them now', 'moved out', 'the handover', 'twins', 'to the border', 'on the train',
        'on a train', 'on the bus', 'on a bus', 'checking out', 'checked out'),
      re(1, /\b(?:are|is|am|they're|he's|she's)\s+(?:going\s+to|about\s+to)\s+(?:sell|hand|move|take|transport|deliver|smuggle)\b/, undefined, { immediate: true }),
    ],
    immediacy: [
      ...strong('right now', 'tonight', 'this evening', 'this afternoon', 'this morning',
        'tomorrow', 'at the moment', 'as we speak', 'about to', 'in an hour', 'within the hour',
        'in a few hours', 'in a few minutes', 'immediately', 'asap', 'urgent', 'urgently',
        'emergency', 'hurry', 'currently', 'happening now', 'right away', 'any minute',
        'come quickly', 'come quick', 'come now', 'quickly', 'please hurry'),
      re(1, /\bin (?:\d+|one|two|three|a few|few) (?:minutes?|mins?|hours?|hrs?)\b/, 'in-hours', { strong: true }),
      re(1, /\bstill\s+(?:there|here|outside|around|circling|parked|waiting|in the|at the|on the|nearby)\b/, 'still-there', { strong: true }),
      re(1, /\b(?:\d+|a few|few|five|ten|fifteen|twenty|thirty)\s+(?:minutes?|mins?)\s+ago\b/, 'minutes-ago', { strong: true }),
      ...strong('this weekend', 'pls help', 'please help', 'help!', 'come quickly', 'call the police', 'hurry'),
      ...kw(1, 'now', 'today', 'soon', 'just now', 'later today'),
    ],
    past: [
      ...kw(1, 'last year', 'last month', 'last week', 'ago', 'yesterday', 'used to',
        'long time', 'back in', 'in the past', 'previously', 'at that time', 'back then',
        'when i was', 'was sold', 'were sold', 'has been sold', 'had been', 'already'),
      re(1, /\b(?:19|20)\d\d\b/, 'year'),
    ],
    alarm: kw(1, 'hurry', 'please hurry', 'come quickly', 'come quick', 'come now', 'call the police', 'stop them',
      'please stop', 'urgent', 'urgently', 'emergency', 'right now', 'as we speak', 'asap', 'help!', 'please help',
      'pls help', 'send someone', 'send police', 'intercept'),
    calm: [
      ...kw(1, 'not in danger', 'no danger', 'is safe', 'are safe', 'is fine', 'not urgent',
        'no rush', 'safe now'),
      // A parent asking whether their child is in danger is not reporting danger.
      re(1, /\b(?:is|are)\s+(?:my|our|the|he|she|they|it|this|that)\b[^.!?]{0,30}\b(?:in danger|safe|hurt|ok|okay)\b[^.!]{0,20}\?/, 'danger-question'),
    ],
  },
  spam: [
    ...kw(0.4, 'crypto', 'cryptocurrency', 'bitcoin', 'btc', 'usdt', 'ethereum', 'forex',
      'casino', 'gambling', 'betting', 'jackpot', 'lottery', 'viagra', 'payday loan', 'loan',
      'loans', 'surrogacy', 'surrogate mother', 'escort', 'porn', 'xxx', 'onlyfans', 'airdrop',
      'nft', 'hot singles', 'dating', 'sexy', 'casino bonus', 'signals', 'crypto signals'),
    ...kw(0.2, 'free', 'bonus', 'promo', 'promotion', 'discount', 'offer', 'click', 'click here',
      'earn', 'earn money', 'make money', 'income', 'profit', 'invest', 'investment', 'win',
      'winner', 'prize', 'cash', 'guaranteed', 'subscribe', 'followers', 'limited time',
      'act now', 'sign up', 'register now', 'dm me', 'cheap', 'packages', 'no credit check', 'deposit', 'per day',
      'a day from home', 'from home', 'follow my channel', 'iphone', 'claim now'),
    // Paid "finders" and fees asked of families.
    ...kw(0.5, 'private investigators', 'our investigators', 'handling fee', 'dear winner', 'receive your prize', 'loan approved',
      'work from home', 'pay deposit', 'pay a deposit', 'bank card number', 'find any child'),
    re(0.3, /\$\s?\d+\s?\/\s?(?:day|hour|hr|week)\b/, 'pay per day'),
    // Money multiplied on the spot; visas and papers sold to anyone: offers, not reports.
    ...kw(0.5, 'doubling event', 'double your', 'send 0.', 'get your visa', 'visa in 24', 'fast visa', 'visa agent', 'fake passport', 'weight loss', 'lose weight fast'),
    ...kw(0.5, 'private investigator', 'private detective', 'pay upfront', 'upfront fee', 'pay in advance',
      '100% success', 'success guaranteed', 'processing fee', 'buy followers', 'chain letter'),
    ...kw(0.3, 'we find', 'only $', 'instagram', 'tiktok followers', 'wholesale', 'bulk order', 'best price'),
    ...kw(0.5, 'dna test kit', 'dna test kits', 'dna kit', 'dna kits', 'giveaway', 'get rich', 'trading bot', 'order at', 'order now'),
    re(0.3, /\b\d+% (?:off|returns?|profit)\b/, 'percent-off'),
    ...kw(0.5, 'investment opportunity', 'monthly return', 'returns guaranteed', 'guaranteed return', 'guaranteed returns', 'daily return', 'passive income'),
    re(0.3, /\$\s?\d+\.\d\d\b/, 'price'),
    re(0.8, /\b(?:forward|share|send)\s+this\s+(?:message\s+)?to\s+\d+\b/, 'chain-message'),
  ],
  abuse: [
    // Asking whether we are real is a question about the service, not an insult.
    ...kw(0, 'not a scam', 'is this a scam', 'or a scam', 'a scam?', 'real police',
      // Bins and dumps: where a child may be found, not an insult.
      'trash can', 'trash bin', 'in the trash', 'garbage can', 'garbage bin', 'garbage bag', 'in the garbage', 'rubbish bin', 'garbage truck',
      'trash cans', 'trash bins', 'garbage cans', 'garbage bins', 'garbage bags', 'rubbish bins', 'the trash', 'the garbage', 'the rubbish'),
    re(0.7, /\bf[*#@]+(?:k|ck)?\b|\bf[*#@]{2,}/, 'f***'),
    ...kw(0.7, 'fuck', 'fucking', 'fuck you', 'motherfucker', 'go to hell', 'piece of shit', 'useless idiots', 'dumbass',
      'shut up', 'screw you', 'retard', 'retarded', 'cunt', 'fuck off', 'stfu'),
    ...kw(0.4, 'idiot', 'idiots', 'stupid', 'moron', 'morons', 'useless', 'pathetic', 'scammers', 'scammer', 'scam',
      'fake', 'joke', 'bullshit', 'shit', 'crap', 'losers', 'loser', 'dumb', 'incompetent', 'waste of', 'taxpayer money', 'clowns', 'bastards', 'bastard', 'lmao',
      'trash', 'garbage', 'rubbish', 'worthless'),
  ],
  targets: [
    ...kw(1, 'you', "you're", 'your', 'u', 'ur', 'this bot', 'this service', 'this site', 'police', 'cops', 'pigs',
      'you all', 'you guys', 'nobody cares', 'hotline', 'tip line', 'tipline', 'helpline', 'this app', 'this line'),
  ],
  greetings: [
    'hi', 'hello', 'hey', 'hiya', 'howdy', 'yo', 'greetings', 'good morning', 'good afternoon',
    'good evening', 'good day', 'morning', 'evening', 'hi there', 'hello there', 'hey there',
    'anyone there', 'is anyone there', 'anybody there', 'menu', 'main menu', 'start',
    'restart', 'begin', 'help', 'options', 'back', 'home',
  ],
};

