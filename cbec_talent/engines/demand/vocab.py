"""Framework-independent vocabularies: platforms, foreign languages, cities and education levels.

A keywords file may override any of them with a section of the same name (``platforms:``, ``languages:``,
``cities:``, ``education:``), each ``{CODE: {zh: [...], en: [...]}}``.
"""

PLATFORMS: dict[str, dict[str, list[str]]] = {
    "amazon": {"zh": ["亚马逊"], "en": ["amazon", "amazon.com", "fba"]},
    "aliexpress": {"zh": ["速卖通", "全球速卖通"], "en": ["aliexpress", "ali express"]},
    "alibaba": {"zh": ["阿里巴巴国际站", "阿里国际站", "国际站", "阿里巴巴"], "en": ["alibaba", "alibaba.com"]},
    "ebay": {"zh": ["易贝"], "en": ["ebay"]},
    "shopee": {"zh": ["虾皮"], "en": ["shopee"]},
    "lazada": {"zh": ["来赞达"], "en": ["lazada"]},
    "wish": {"zh": ["wish平台", "wish运营", "wish店铺"], "en": ["Wish", "wish.com"]},
    "tiktok_shop": {"zh": ["tiktok小店", "tk小店", "抖音跨境", "tiktok跨境"], "en": ["tiktok shop", "tiktok"]},
    "temu": {"zh": ["拼多多跨境", "拼多多海外"], "en": ["temu"]},
    "shein": {"zh": ["希音"], "en": ["shein"]},
    "walmart": {"zh": ["沃尔玛"], "en": ["walmart"]},
    "etsy": {"zh": [], "en": ["etsy"]},
    "mercadolibre": {"zh": ["美客多"], "en": ["mercado libre", "mercadolibre"]},
    "ozon": {"zh": [], "en": ["ozon"]},
    "dhgate": {"zh": ["敦煌网"], "en": ["dhgate"]},
    "made_in_china": {"zh": ["中国制造网"], "en": ["made-in-china", "made-in-china.com"]},
    "global_sources": {"zh": ["环球资源"], "en": ["global sources"]},
    "rakuten": {"zh": ["乐天"], "en": ["rakuten"]},
    "cdiscount": {"zh": [], "en": ["cdiscount"]},
    "jumia": {"zh": [], "en": ["jumia"]},
    "independent_store": {
        "zh": ["独立站", "自建站", "shopify"],
        "en": ["shopify", "independent store", "independent site", "dtc site", "dtc store"],
    },
}

# ISO 639-1 codes; "x" is an unnamed second foreign language (the "X" of "English + X", paper 004).
LANGUAGES: dict[str, dict[str, list[str]]] = {
    "en": {
        "zh": ["英语", "英文", "四级", "六级", "专八", "专四", "雅思", "托福"],
        "en": ["english", "cet-4", "cet-6", "cet4", "cet6", "tem-8", "tem8", "ielts", "toefl"],
    },
    "x": {"zh": ["小语种", "第二外语", "二外"], "en": ["second foreign language", "minor language"]},
    "ja": {"zh": ["日语", "日文"], "en": ["japanese"]},
    "ko": {"zh": ["韩语", "韩文", "朝鲜语"], "en": ["korean"]},
    "ru": {"zh": ["俄语", "俄文"], "en": ["russian"]},
    "fr": {"zh": ["法语", "法文"], "en": ["french"]},
    "de": {"zh": ["德语", "德文"], "en": ["german"]},
    "es": {"zh": ["西班牙语", "西语"], "en": ["spanish"]},
    "pt": {"zh": ["葡萄牙语", "葡语"], "en": ["portuguese"]},
    "ar": {"zh": ["阿拉伯语", "阿语"], "en": ["arabic"]},
    "it": {"zh": ["意大利语"], "en": ["italian"]},
    "th": {"zh": ["泰语"], "en": ["thai"]},
    "vi": {"zh": ["越南语"], "en": ["vietnamese"]},
    "id": {"zh": ["印尼语"], "en": ["indonesian", "bahasa indonesia"]},
    "ms": {"zh": ["马来语"], "en": ["malay"]},
    "tr": {"zh": ["土耳其语"], "en": ["turkish"]},
    "pl": {"zh": ["波兰语"], "en": ["polish"]},
    "nl": {"zh": ["荷兰语"], "en": ["dutch"]},
    "he": {"zh": ["希伯来语"], "en": ["hebrew"]},
    "fa": {"zh": ["波斯语"], "en": ["persian", "farsi"]},
    "ur": {"zh": ["乌尔都语"], "en": ["urdu"]},
    "hi": {"zh": ["印地语"], "en": ["hindi"]},
    "kk": {"zh": ["哈萨克语"], "en": ["kazakh"]},
    "uz": {"zh": ["乌兹别克语"], "en": ["uzbek"]},
    "my": {"zh": ["缅甸语"], "en": ["burmese"]},
    "lo": {"zh": ["老挝语"], "en": ["lao"]},
    "km": {"zh": ["柬埔寨语", "高棉语"], "en": ["khmer"]},
    "fil": {"zh": ["菲律宾语"], "en": ["filipino", "tagalog"]},
}

_CITY_NAMES = (
    "深圳 shenzhen,广州 guangzhou,东莞 dongguan,佛山 foshan,珠海 zhuhai,中山 zhongshan,惠州 huizhou,"
    "汕头 shantou,江门 jiangmen,厦门 xiamen,福州 fuzhou,泉州 quanzhou,莆田 putian,杭州 hangzhou,宁波 ningbo,"
    "义乌 yiwu,金华 jinhua,温州 wenzhou,台州 taizhou,绍兴 shaoxing,嘉兴 jiaxing,湖州 huzhou,上海 shanghai,"
    "苏州 suzhou,南京 nanjing,无锡 wuxi,常州 changzhou,南通 nantong,昆山 kunshan,北京 beijing,天津 tianjin,"
    "青岛 qingdao,济南 jinan,烟台 yantai,威海 weihai,郑州 zhengzhou,武汉 wuhan,长沙 changsha,成都 chengdu,"
    "重庆 chongqing,西安 xi'an,合肥 hefei,南昌 nanchang,昆明 kunming,南宁 nanning,海口 haikou,大连 dalian,"
    "沈阳 shenyang,哈尔滨 harbin,长春 changchun,石家庄 shijiazhuang,太原 taiyuan,贵阳 guiyang,兰州 lanzhou,"
    "乌鲁木齐 urumqi,香港 hong kong"
)
CITIES: dict[str, dict[str, list[str]]] = {
    zh: {"zh": [zh], "en": [en]} for zh, en in (item.split(" ", 1) for item in _CITY_NAMES.split(","))
}

# Education levels, ascending; a posting's level is the lowest one it names (its minimum requirement).
EDUCATION: dict[str, dict[str, list[str]]] = {
    "secondary": {"zh": ["中专", "中技", "职高", "技校"], "en": ["secondary school", "vocational school"]},
    "high_school": {"zh": ["高中"], "en": ["high school"]},
    "college": {"zh": ["大专", "专科", "高职"], "en": ["associate degree", "college diploma", "junior college"]},
    "bachelor": {
        "zh": ["本科", "学士", "统招本科"],
        "en": ["bachelor", "bachelor's", "bachelors", "ba/bs", "undergraduate degree", "university degree"],
    },
    "master": {"zh": ["硕士", "研究生"], "en": ["master's", "masters degree", "master degree", "mba"]},
    "phd": {"zh": ["博士"], "en": ["phd", "ph.d", "doctorate"]},
}
EDUCATION_ORDER = tuple(EDUCATION)
