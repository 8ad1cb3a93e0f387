"""The simulated vietnam.vn of the fixture web (SYNTHETIC), written from one description.

``python -m tests.fixtureweb.portal`` writes the portal's pages, sitemaps, feeds and scripted
routes under ``sites/vietnam.vn/``, ``sites/thongtin.vietnam.vn/`` and ``sites/vjs.vietnam.vn/``,
and ``expected_vietnam.json`` (what a crawl of the range 2025-12-12 must end with, per URL);
``tests/test_vietnam_fixtures.py`` fails when the files differ from what this module writes.

Every text is our own (Vietnamese, German, English, Korean, Chinese), modelled on the page text
``../shared/research/sources.md`` §5 documents and on the seed (``../shared/seed/``: the German
page of a Báo Bình Thuận article; the German text here is ours, modelled on it). The markup is
assumed (no page of the portal was ever saved) and varies on purpose between three templates:

- ``a``: hreflang links, a ``ul.language-switcher``, a named body container, the source block
  (label + link to the original) and a comment box after the body, related teasers;
- ``b``: no hreflang, a ``#lang-menu`` of ``<a lang>`` links, a body container of an unknown
  name holding the source label and the comment widget as plain paragraphs (as the seed's text
  ends), the original in JSON-LD ``isBasedOn``, a byline as the last paragraph;
- ``c``: the credit line ``Name•dd/mm/yyyy``, paragraphs split over ``<section>``s, a bar of
  plain links to the translations (found only by their slug), "Nguồn: <URL>" in the text.

The stories cover what the crawl must get right: translations missing from the sitemaps and
without hreflang; a regenerated translation (``/de/nong-dan-...`` answers a new text on its second
request, and the daily sitemap a later lastmod); slugs damaged by decomposed Unicode and a slug
suffix that tells two stories apart; a sub-portal URL in the sitemap and translations linked on
the mirrors; language homes in switchers; stories published the day before and after the range,
and one listed in the next day's sitemap; ad placeholders in every script.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites"
EXPECTED = HERE / "expected_vietnam.json"
WWW = "https://www.vietnam.vn"
RANGE = (date(2025, 12, 12), date(2025, 12, 12))  # the crawl tests' --since/--until
SEED_DAY = date(2024, 1, 18)

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "de": "Deutsch", "en": "English", "ko": "한국어",
                  "zh": "中文", "fr": "Français"}  # fmt: skip
SOURCE_LABEL = {"vi": "Nguồn", "de": "Quelle", "en": "Source", "ko": "출처", "zh": "来源"}
COMMENTS = {"vi": "Bình luận", "de": "Kommentar", "en": "Comment", "ko": "댓글", "zh": "评论"}
AD = {"vi": "[ad_1]", "de": "[Anzeige_1]", "en": "[ad_1]", "ko": "[광고_1]", "zh": "[广告_1]"}
SLOGAN = "Vietnam.vn - Nền tảng quảng bá Việt Nam"


@dataclass
class Text:
    title: str
    sapo: str
    body: list[str]


@dataclass
class Story:
    slug: str
    day: date  # the date the source line prints
    credit: str  # the paper's name as the source line prints it
    template: str
    texts: dict[str, Text]  # language -> text ("vi" first)
    sitemap_day: date  # the daily post sitemap that lists it
    lastmod: str
    original_url: str | None = None  # the credited original (None: no link)
    expected_source: str | None = None  # registry id the credit resolves to
    hreflang: tuple[str, ...] = ()  # languages declared by <link rel=alternate hreflang>
    homes: tuple[str, ...] = ()  # languages the switcher links to their home (no translation)
    urls: dict[str, str] = field(default_factory=dict)  # language -> URL when not www/<lang>/slug
    listed: str | None = None  # the URL the sitemap lists when not the Vietnamese page's
    byline: str | None = None  # printed as the Vietnamese body's last paragraph
    regenerated: dict[str, Text] = field(default_factory=dict)  # second answer of a version
    category: str = "Xã hội"

    def url(self, language: str) -> str:
        if language in self.urls:
            return self.urls[language]
        return f"{WWW}/{self.slug}" if language == "vi" else f"{WWW}/{language}/{self.slug}"

    def canonical(self, language: str) -> str:
        slug = self.urls.get(language, "").rsplit("/", 1)[-1] or self.slug
        return f"{WWW}/{slug}" if language == "vi" else f"{WWW}/{language}/{slug}"


def t(title: str, sapo: str, *body: str) -> Text:
    return Text(title, sapo, list(body))


STORIES: list[Story] = [
    Story(
        slug="nong-dan-ha-tinh-thu-hoach-cam-bu-som",
        day=date(2025, 12, 12),
        credit="Báo Hà Tĩnh",
        template="a",
        sitemap_day=date(2025, 12, 12),
        lastmod="2025-12-12T08:20:10.339Z",
        original_url="https://baohatinh.vn/nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html",
        expected_source="baohatinh",
        hreflang=("vi", "de", "en", "ko", "zh"),
        category="Kinh tế",
        texts={
            "vi": t(
                "Nông dân Hà Tĩnh thu hoạch cam bù sớm phục vụ thị trường Tết",
                "Những ngày giữa tháng 12, nhiều nhà vườn ở Hương Sơn, Vũ Quang đã bắt đầu thu "
                "hoạch cam bù, giá bán dao động 35.000 - 45.000 đồng/kg.",
                "Tại xã Sơn Kim 1 (huyện Hương Sơn cũ), vườn cam bù hơn 1,2 ha của gia đình ông "
                "Nguyễn Văn Hòa đang vào vụ thu hoạch. Ông Hòa cho biết năm nay thời tiết thuận "
                "lợi, quả to, vỏ mỏng và đều màu nên thương lái đến đặt mua từ sớm.",
                "Theo ngành nông nghiệp, toàn tỉnh hiện có khoảng 2.800 ha cam các loại, trong đó "
                "diện tích cam bù cho thu hoạch đạt gần 900 ha. Sản lượng ước tính khoảng 12.000 "
                "tấn.",
                "Để giữ thương hiệu cam Hà Tĩnh, các hợp tác xã khuyến cáo bà con chỉ thu hái quả "
                "đủ độ chín, không sử dụng chất bảo quản và dán tem truy xuất nguồn gốc cho từng "
                "lô hàng.",
            ),
            "de": t(
                "Bauern in Ha Tinh ernten Bu-Orangen früh für den Tet-Markt",
                "Mitte Dezember haben viele Gärtner in Huong Son und Vu Quang mit der Ernte der "
                "Bu-Orangen begonnen; der Preis liegt bei 35.000 bis 45.000 Dong pro Kilogramm.",
                "In der Gemeinde Son Kim 1 (ehemaliger Bezirk Huong Son) wird der über 1,2 Hektar "
                "große Orangengarten der Familie von Herrn Nguyen Van Hoa abgeerntet. Das Wetter "
                "war in diesem Jahr günstig, die Früchte sind groß und dünnschalig.",
                "Nach Angaben des Landwirtschaftssektors gibt es in der Provinz rund 2.800 Hektar "
                "Orangen, davon fast 900 Hektar erntereife Bu-Orangen. Die Ernte wird auf etwa "
                "12.000 Tonnen geschätzt.",
                "Um die Marke der Ha-Tinh-Orange zu schützen, empfehlen die Genossenschaften, nur "
                "reife Früchte zu pflücken, keine Konservierungsmittel zu verwenden und jede "
                "Partie mit einem Rückverfolgbarkeitsetikett zu versehen.",
            ),
            "en": t(
                "Ha Tinh farmers harvest Bu oranges early for the Tet market",
                "In mid-December many growers in Huong Son and Vu Quang began harvesting Bu "
                "oranges, selling at 35,000 to 45,000 dong per kilogram.",
                "In Son Kim 1 commune (formerly Huong Son district), the 1.2-hectare orange "
                "garden of Mr Nguyen Van Hoa's family is being harvested. The weather was kind "
                "this year, so the fruit is large, thin-skinned and evenly coloured.",
                "According to the agriculture sector, the province has about 2,800 hectares of "
                "oranges, nearly 900 hectares of them Bu oranges ready for harvest, with an "
                "estimated output of 12,000 tonnes.",
                "To protect the Ha Tinh orange brand, cooperatives advise growers to pick only "
                "ripe fruit, use no preservatives and label every batch for traceability.",
            ),
            "ko": t(
                "하띤 농민들, 설 시장을 위해 부 오렌지 조기 수확",
                "12월 중순 흐엉선과 부꽝의 많은 농가가 부 오렌지 수확을 시작했으며 가격은 "
                "킬로그램당 35,000~45,000동이다.",
                "선낌 1사(옛 흐엉선현)에서는 응우옌 반 호아 씨 가족의 1.2헥타르 오렌지 농장이 "
                "수확기를 맞았다. 올해는 날씨가 좋아 열매가 크고 껍질이 얇다.",
                "농업 당국에 따르면 성 전체의 오렌지 재배 면적은 약 2,800헥타르이며 그중 수확 "
                "가능한 부 오렌지는 약 900헥타르, 생산량은 약 12,000톤으로 추정된다.",
                "협동조합들은 하띤 오렌지 브랜드를 지키기 위해 잘 익은 열매만 따고 방부제를 "
                "쓰지 말며 모든 출하분에 이력 추적 라벨을 붙이라고 권고했다.",
            ),
            "zh": t(
                "河静农民提前采收布橙供应春节市场",
                "十二月中旬，香山和武光的许多果农开始采收布橙，售价为每公斤三万五千至四万五千越盾。",
                "在山金一社（原香山县），阮文和一家一点二公顷的橙园正值采收季节。今年天气适宜，"
                "果实个大皮薄，颜色均匀。",
                "据农业部门统计，全省种植各类橙子约两千八百公顷，其中可采收的布橙近九百公顷，"
                "产量估计约一万二千吨。",
                "为保护河静橙品牌，合作社建议农户只采摘成熟果实，不使用防腐剂，并为每批货物贴上"
                "溯源标签。",
            ),
        },
        regenerated={
            "de": t(
                "Bauern in Ha Tinh ernten Bu-Orangen früh für den Tet-Markt",
                "Mitte Dezember haben viele Gärtner in Huong Son und Vu Quang mit der Ernte der "
                "Bu-Orangen begonnen; der Preis liegt bei 35.000 bis 45.000 Dong pro Kilogramm.",
                "In der Gemeinde Son Kim 1 im früheren Bezirk Huong Son erntet die Familie von "
                "Nguyen Van Hoa derzeit ihren mehr als 1,2 Hektar großen Orangengarten. Dank des "
                "guten Wetters seien die Früchte groß, die Schale dünn, sagt Herr Hoa.",
                "Der Landwirtschaftssektor zählt in der Provinz etwa 2.800 Hektar Orangen, von "
                "denen knapp 900 Hektar Bu-Orangen erntereif sind; erwartet werden rund 12.000 "
                "Tonnen.",
                "Die Genossenschaften raten, zum Schutz der Marke nur reife Früchte zu ernten, auf "
                "Konservierungsstoffe zu verzichten und jede Lieferung rückverfolgbar zu "
                "kennzeichnen.",
            ),
        },
    ),
    Story(
        slug="nha-trang-ra-quan-don-rac-bo-bien-sau-mua-lu",
        day=date(2025, 12, 12),
        credit="Báo Khánh Hòa",
        template="b",
        sitemap_day=date(2025, 12, 12),
        lastmod="2025-12-12T10:02:47.118Z",
        original_url=(
            "https://baokhanhhoa.vn/xa-hoi/202512/nha-trang-ra-quan-don-rac-bo-bien-sau-mua-lu"
            "-a1b2c3d/"
        ),
        expected_source="baokhanhhoa",
        byline="Hải Lăng",
        texts={
            "vi": t(
                "Nha Trang ra quân dọn rác bờ biển sau mưa lũ",
                "Hàng trăm đoàn viên, thanh niên và người dân đã tham gia thu gom hơn 20 tấn rác "
                "dọc bờ biển đường Trần Phú.",
                "Sáng 12/12, Thành đoàn Nha Trang phối hợp với các phường ven biển tổ chức chương "
                'trình "Chủ nhật xanh" làm sạch bờ biển sau đợt mưa lũ kéo dài.',
                "Lượng rác trôi dạt chủ yếu là cành cây, túi ni lông và phao xốp từ thượng nguồn "
                "sông Cái. Các lực lượng đã phân loại rác ngay tại chỗ trước khi vận chuyển đi xử "
                "lý.",
                "Ban Quản lý vịnh Nha Trang cho biết sẽ duy trì hoạt động thu gom hằng ngày để bảo "
                "đảm cảnh quan phục vụ du khách dịp cuối năm.",
            ),
            "de": t(
                "Nha Trang räumt nach dem Hochwasser den Strand auf",
                "Hunderte Jugendverbandsmitglieder und Einwohner sammelten mehr als 20 Tonnen Müll "
                "entlang der Tran-Phu-Straße.",
                "Am Morgen des 12. Dezember organisierte der Jugendverband von Nha Trang mit den "
                "Küstenbezirken die Aktion „Grüner Sonntag“, um den Strand nach dem langen "
                "Hochwasser zu reinigen.",
                "Der angeschwemmte Müll bestand vor allem aus Ästen, Plastiktüten und Styropor aus "
                "dem Oberlauf des Flusses Cai. Er wurde vor Ort sortiert und dann abtransportiert.",
                "Die Verwaltung der Bucht von Nha Trang will die tägliche Sammlung fortsetzen, "
                "damit der Strand für die Besucher zum Jahresende sauber bleibt.",
            ),
            "en": t(
                "Nha Trang turns out to clear beach litter after the floods",
                "Hundreds of youth union members and residents collected more than 20 tonnes of "
                "rubbish along Tran Phu street.",
                "On the morning of December 12 the Nha Trang youth union and the coastal wards "
                'held a "Green Sunday" clean-up of the beach after the long floods.',
                "The drifting litter was mostly branches, plastic bags and foam floats from the "
                "upper Cai river. It was sorted on the spot before being taken away.",
                "The Nha Trang Bay management board said daily collection will continue so that "
                "the coast stays clean for visitors at the end of the year.",
            ),
            "ko": t(
                "나짱, 홍수 후 해변 쓰레기 수거에 나서",
                "수백 명의 청년단원과 주민이 쩐푸 거리 해변을 따라 20톤이 넘는 쓰레기를 수거했다.",
                "12월 12일 오전 나짱시 청년단은 해안 동들과 함께 오랜 홍수 뒤 해변을 청소하는 "
                "'녹색 일요일' 행사를 열었다.",
                "떠밀려 온 쓰레기는 주로 까이강 상류에서 내려온 나뭇가지, 비닐봉지, 스티로폼 "
                "부표였으며 현장에서 분류한 뒤 처리장으로 옮겼다.",
                "나짱만 관리위원회는 연말 관광객을 위해 매일 수거 작업을 이어가겠다고 밝혔다.",
            ),
        },
    ),
    Story(
        slug="lien-minh-chau-au-thong-qua-goi-ho-tro-nong-nghiep-moi",
        day=date(2025, 12, 12),
        credit="Báo Cần Thơ",
        template="c",
        sitemap_day=date(2025, 12, 13),  # republished the next morning: the next day's file
        lastmod="2025-12-13T01:10:05.402Z",
        original_url="https://baocantho.com.vn/lien-minh-chau-au-thong-qua-goi-ho-tro-moi-a190006.html",
        expected_source="baocantho",
        hreflang=("en",),
        category="Thế giới",
        texts={
            "vi": t(
                "Liên minh châu Âu thông qua gói hỗ trợ nông nghiệp mới",
                "Gói hỗ trợ trị giá 2 tỷ euro nhằm giúp nông dân thích ứng với biến đổi khí hậu.",
                "Hội đồng châu Âu cho biết gói hỗ trợ sẽ được giải ngân trong hai năm 2026 - 2027, "
                "ưu tiên các vùng chịu hạn hán và lũ lụt nặng nhất.",
                "Các tổ chức nông dân hoan nghênh quyết định nhưng cho rằng thủ tục cần đơn giản "
                "hơn để hộ nhỏ cũng tiếp cận được nguồn vốn.",
            ),
            "en": t(
                "European Union approves a new farm support package",
                "The 2 billion euro package is meant to help farmers adapt to climate change.",
                "The European Council said the package will be paid out over 2026 and 2027, "
                "giving priority to the regions hit hardest by drought and floods.",
                "Farmers' organisations welcomed the decision but said the procedures must be "
                "simpler so that small farms can reach the money too.",
            ),
            "zh": t(
                "欧盟通过新的农业支持计划",
                "这项价值二十亿欧元的计划旨在帮助农民适应气候变化。",
                "欧洲理事会表示，该计划将在二〇二六年至二〇二七年两年内发放，优先支持受干旱和"
                "洪水影响最严重的地区。",
                "农民组织对这一决定表示欢迎，但认为手续需要简化，以便小农户也能获得资金。",
            ),
        },
    ),
    Story(
        # The slug was built from decomposed text: the same damaged slug in every language.
        slug="cu-ng-ca-nuo-c-vuon-mi-nh-vung-tin-tien-vao-ky-nguyen-moi",
        day=date(2025, 12, 12),
        credit="Việt Nam",  # the portal's own story: no paper, no province
        template="a",
        sitemap_day=date(2025, 12, 11),  # 18:30 UTC on the 11th is 01:30 on the 12th (+07:00)
        lastmod="2025-12-11T18:30:44.020Z",
        hreflang=("vi", "de", "en"),
        homes=("ko", "zh"),
        category="Thời sự",
        texts={
            "vi": t(
                "Cùng cả nước vươn mình, vững tin tiến vào kỷ nguyên mới",
                "Các địa phương đồng loạt ra quân thực hiện những nhiệm vụ trọng tâm của tháng "
                "cuối năm, chuẩn bị cho giai đoạn phát triển mới.",
                "Trong tháng 12, nhiều tỉnh, thành phố tổ chức hội nghị tổng kết, đánh giá kết quả "
                "sau khi sắp xếp bộ máy chính quyền hai cấp và đề ra chỉ tiêu cho năm 2026.",
                "Người dân kỳ vọng các dự án hạ tầng giao thông, y tế và giáo dục sẽ được đẩy "
                "nhanh, tạo thêm việc làm và nâng cao chất lượng cuộc sống.",
            ),
            "de": t(
                "Mit dem ganzen Land aufbrechen: zuversichtlich in eine neue Ära",
                "Die Provinzen nehmen gleichzeitig die Schwerpunktaufgaben des letzten Monats des "
                "Jahres in Angriff und bereiten sich auf eine neue Entwicklungsphase vor.",
                "Im Dezember ziehen viele Provinzen und Städte Bilanz nach der Neuordnung der "
                "zweistufigen Verwaltung und legen die Ziele für 2026 fest.",
                "Die Bevölkerung erwartet, dass Verkehrs-, Gesundheits- und Bildungsprojekte "
                "beschleunigt werden und mehr Arbeitsplätze entstehen.",
            ),
            "en": t(
                "Rising with the whole country, confident in a new era",
                "Localities are launching the key tasks of the last month of the year at once, "
                "preparing for a new stage of development.",
                "In December many provinces and cities review their results after the "
                "reorganisation into two-tier local government and set targets for 2026.",
                "People expect transport, health and education projects to speed up, creating "
                "jobs and improving the quality of life.",
            ),
        },
    ),
    Story(
        slug="mua-lu-lich-su-o-mien-trung",
        day=date(2025, 12, 12),
        credit="Báo Khánh Hòa",  # named, no link: the name resolves the paper
        expected_source="baokhanhhoa",
        template="a",
        sitemap_day=date(2025, 12, 12),
        lastmod="2025-12-12T11:40:00.000Z",
        hreflang=("vi", "de"),
        texts={
            "vi": t(
                "Mưa lũ lịch sử ở miền Trung",
                "Mực nước trên sông Cái Nha Trang vượt mức lũ lịch sử năm 1993, hàng nghìn hộ dân "
                "phải sơ tán.",
                "Từ đêm 10/12, mưa lớn kéo dài khiến nhiều tuyến đường ở Khánh Hòa bị chia cắt, "
                "lực lượng cứu hộ phải dùng xuồng để đưa người dân ra khỏi vùng ngập.",
                "Chính quyền địa phương đã mở các điểm tránh trú tại trường học và trụ sở cơ "
                "quan, bảo đảm lương thực và nước uống cho người dân.",
            ),
            "de": t(
                "Historisches Hochwasser in Zentralvietnam",
                "Der Pegel des Flusses Cai in Nha Trang übertraf das historische Hochwasser von "
                "1993, Tausende Haushalte mussten evakuiert werden.",
                "Seit der Nacht zum 10. Dezember haben anhaltende Regenfälle viele Straßen in "
                "Khanh Hoa abgeschnitten; Retter brachten die Menschen mit Booten in Sicherheit.",
                "Die Behörden richteten Notunterkünfte in Schulen und Amtsgebäuden ein und "
                "sorgten für Lebensmittel und Trinkwasser.",
            ),
        },
    ),
    Story(
        # Another story under the same headline: the CMS added a suffix to its slug.
        slug="mua-lu-lich-su-o-mien-trung-1",
        day=date(2025, 12, 12),
        credit="Báo Hà Tĩnh",
        template="a",
        sitemap_day=date(2025, 12, 12),
        lastmod="2025-12-12T12:05:00.000Z",
        original_url="https://baohatinh.vn/mua-lu-lich-su-o-mien-trung-post300140.html",
        expected_source="baohatinh",
        hreflang=("vi", "de"),
        texts={
            "vi": t(
                "Mưa lũ lịch sử ở miền Trung",
                "Hà Tĩnh huy động lực lượng hỗ trợ các tỉnh phía Nam khắc phục hậu quả mưa lũ.",
                "Đoàn công tác của tỉnh Hà Tĩnh đã chuyển 500 tấn hàng cứu trợ gồm gạo, nước sạch "
                "và thuốc men đến các xã bị cô lập ở Phú Yên cũ và Khánh Hòa.",
                "Các đoàn viên thanh niên tình nguyện ở lại giúp người dân dọn bùn, sửa chữa nhà "
                "cửa và trường học trước khi học sinh trở lại lớp.",
            ),
            "de": t(
                "Historisches Hochwasser in Zentralvietnam",
                "Ha Tinh schickt Helfer, um den südlichen Provinzen bei der Bewältigung der Flut "
                "zu helfen.",
                "Eine Delegation der Provinz Ha Tinh brachte 500 Tonnen Hilfsgüter, darunter Reis, "
                "sauberes Wasser und Medikamente, in abgeschnittene Gemeinden.",
                "Freiwillige des Jugendverbandes blieben vor Ort, um Schlamm zu beseitigen und "
                "Häuser und Schulen instand zu setzen.",
            ),
        },
    ),
    Story(
        # Listed by its sub-portal URL; its translations are linked on the mirrors.
        slug="lam-dong-don-10-trieu-luot-khach-du-lich",
        day=date(2025, 12, 12),
        credit="Báo và Phát thanh, Truyền hình Lâm Đồng",  # the merged paper's new name
        expected_source="baolamdong",
        template="a",
        sitemap_day=date(2025, 12, 12),
        lastmod="2025-12-12T13:15:30.000Z",
        listed=f"{WWW}/binhthuan/lam-dong-don-10-trieu-luot-khach-du-lich",
        urls={
            "de": "https://thongtin.vietnam.vn/de/lam-dong-don-10-trieu-luot-khach-du-lich",
            "en": "https://vjs.vietnam.vn/en/lam-dong-don-10-trieu-luot-khach-du-lich",
        },
        category="Du lịch",
        texts={
            "vi": t(
                "Lâm Đồng đón 10 triệu lượt khách du lịch",
                "Lượng khách đến Lâm Đồng năm 2025 lần đầu vượt mốc 10 triệu lượt, trong đó vùng "
                "biển Mũi Né đóng góp gần một nửa.",
                "Sau khi hợp nhất, tỉnh Lâm Đồng có cả cao nguyên Đà Lạt lẫn vùng biển Phan "
                "Thiết, tạo nên những tuyến du lịch kết nối núi và biển.",
                "Ngành du lịch đặt mục tiêu phát triển thêm các sản phẩm nghỉ dưỡng dài ngày và "
                "thu hút khách quốc tế trong mùa đông.",
            ),
            "de": t(
                "Lam Dong empfängt 10 Millionen Touristen",
                "Die Zahl der Besucher in Lam Dong überschritt 2025 erstmals 10 Millionen; fast "
                "die Hälfte kam an die Küste von Mui Ne.",
                "Nach der Zusammenlegung umfasst Lam Dong sowohl das Hochland von Da Lat als auch "
                "die Küste von Phan Thiet, was Reisen zwischen Bergen und Meer ermöglicht.",
                "Die Tourismusbranche will mehr Langzeitaufenthalte anbieten und im Winter "
                "internationale Gäste gewinnen.",
            ),
            "en": t(
                "Lam Dong welcomes 10 million tourist arrivals",
                "Arrivals in Lam Dong passed 10 million for the first time in 2025, nearly half "
                "of them on the Mui Ne coast.",
                "Since the merger Lam Dong spans both the Da Lat highlands and the Phan Thiet "
                "coast, making tours that link the mountains with the sea.",
                "The tourism sector aims to develop more long-stay products and attract "
                "international visitors in winter.",
            ),
        },
    ),
    Story(
        # The Vietnamese slug is clean; the German page's was built from decomposed text.
        slug="nguoi-dan-vung-cao-don-tet-som",
        day=date(2025, 12, 12),
        credit="Báo Hà Tĩnh",
        expected_source="baohatinh",
        original_url="https://baohatinh.vn/nguoi-dan-vung-cao-don-tet-som-post300150.html",
        template="a",
        sitemap_day=date(2025, 12, 12),
        lastmod="2025-12-12T14:00:00.000Z",
        hreflang=("vi",),
        urls={"de": f"{WWW}/de/nguo-i-da-n-vu-ng-cao-do-n-te-t-so-m"},
        texts={
            "vi": t(
                "Người dân vùng cao đón Tết sớm",
                "Đồng bào dân tộc Chứt ở Hương Khê bắt đầu chuẩn bị Tết từ giữa tháng 12.",
                "Các gia đình cùng nhau giã gạo, gói bánh và sửa sang nhà cửa; thanh niên trong "
                "bản dựng cây nêu trước nhà văn hóa cộng đồng.",
                "Chính quyền xã đã trao quà cho các hộ khó khăn để bà con có cái Tết ấm áp.",
            ),
            "de": t(
                "Die Menschen im Hochland feiern Tet früh",
                "Die Volksgruppe der Chut in Huong Khe beginnt Mitte Dezember mit den "
                "Vorbereitungen auf Tet.",
                "Die Familien stampfen gemeinsam Reis, wickeln Kuchen und bessern ihre Häuser "
                "aus; junge Leute stellen den Neujahrsbaum vor dem Gemeindehaus auf.",
                "Die Gemeinde überreichte bedürftigen Haushalten Geschenke, damit alle ein "
                "warmes Tet-Fest haben.",
            ),
        },
    ),
    Story(
        # Published the day before the range: left, and its translations never fetched.
        slug="vinh-nha-trang-don-tau-du-lich-quoc-te-dau-mua",
        day=date(2025, 12, 11),
        credit="Báo Khánh Hòa",
        expected_source="baokhanhhoa",
        original_url=(
            "https://baokhanhhoa.vn/du-lich/202512/vinh-nha-trang-don-tau-du-lich-quoc-te-b4c5d6e/"
        ),
        template="a",
        sitemap_day=date(2025, 12, 11),
        lastmod="2025-12-11T04:04:10.339Z",
        hreflang=("vi", "de", "en"),
        category="Du lịch",
        texts={
            "vi": t(
                "Vịnh Nha Trang đón tàu du lịch quốc tế đầu mùa",
                "Tàu du lịch biển chở gần 3.000 khách quốc tế cập cảng Nha Trang sáng 11/12.",
                "Đây là chuyến tàu du lịch quốc tế đầu tiên của mùa du lịch tàu biển 2025 - 2026 "
                "đến Khánh Hòa. Du khách chủ yếu đến từ Đức, Anh, Úc và Mỹ.",
                "Trong ngày, du khách tham quan Tháp Bà Ponagar, chợ Đầm, Viện Hải dương học và "
                "thưởng thức ẩm thực địa phương.",
            ),
            "de": t(
                "Bucht von Nha Trang empfängt das erste Kreuzfahrtschiff der Saison",
                "Ein Kreuzfahrtschiff mit fast 3.000 internationalen Gästen legte am Morgen des "
                "11. Dezember in Nha Trang an.",
                "Es ist das erste internationale Kreuzfahrtschiff der Saison 2025/2026 in Khanh "
                "Hoa; die Gäste kommen vor allem aus Deutschland, Großbritannien und Australien.",
                "Die Besucher besichtigten den Po-Nagar-Tempel, den Dam-Markt und das "
                "Ozeanografische Institut.",
            ),
            "en": t(
                "Nha Trang Bay welcomes the season's first cruise ship",
                "A cruise ship with nearly 3,000 international passengers docked in Nha Trang on "
                "the morning of December 11.",
                "It is the first international cruise call of the 2025-2026 season in Khanh Hoa; "
                "most passengers come from Germany, Britain, Australia and the United States.",
                "During the day visitors toured the Po Nagar towers, Dam market and the "
                "Oceanographic Institute.",
            ),
        },
    ),
    Story(
        # Published the day after the range: left, its translations never fetched.
        slug="xuat-khau-gao-nam-2025-uoc-dat-8-1-trieu-tan",
        day=date(2025, 12, 13),
        credit="Báo Hà Tĩnh",
        expected_source="baohatinh",
        original_url=(
            "https://baohatinh.vn/xuat-khau-gao-nam-2025-uoc-dat-8-1-trieu-tan-post300106.html"
        ),
        template="c",
        sitemap_day=date(2025, 12, 13),
        lastmod="2025-12-13T02:30:00.000Z",
        category="Kinh tế",
        texts={
            "vi": t(
                "Xuất khẩu gạo năm 2025 ước đạt 8,1 triệu tấn",
                "Xuất khẩu gạo cả năm dự kiến vượt kế hoạch.",
                "Theo Bộ Công Thương, tính đến giữa tháng 12, khối lượng gạo xuất khẩu của cả "
                "nước ước đạt gần 7,8 triệu tấn, trị giá khoảng 4,6 tỷ USD.",
                "Philippines, Indonesia và Malaysia tiếp tục là ba thị trường lớn nhất, chiếm hơn "
                "70% tổng lượng gạo xuất khẩu.",
            ),
            "en": t(
                "Rice exports in 2025 estimated at 8.1 million tonnes",
                "Rice exports for the whole year are expected to beat the plan.",
                "By mid-December the country had exported nearly 7.8 million tonnes of rice worth "
                "about 4.6 billion USD, the Ministry of Industry and Trade said.",
                "The Philippines, Indonesia and Malaysia remain the three largest markets, taking "
                "more than 70% of the volume.",
            ),
        },
    ),
    Story(
        # In the daily sitemap of a day the range does not reach: never requested.
        slug="hoi-nghi-tong-ket-cong-tac-nam-2025",
        day=date(2025, 12, 10),
        credit="Việt Nam",
        template="a",
        sitemap_day=date(2025, 12, 10),
        lastmod="2025-12-10T03:00:00.000Z",
        texts={
            "vi": t(
                "Hội nghị tổng kết công tác năm 2025",
                "Các bộ, ngành tổng kết công tác năm và triển khai nhiệm vụ năm 2026.",
                "Hội nghị đánh giá kết quả thực hiện các chỉ tiêu kinh tế - xã hội và những bài "
                "học kinh nghiệm trong chỉ đạo, điều hành.",
            ),
        },
    ),
    Story(
        slug="khai-mac-le-hoi-hoa-da-lat-lan-thu-11",
        day=date(2025, 12, 14),
        credit="Việt Nam",
        template="a",
        sitemap_day=date(2025, 12, 14),
        lastmod="2025-12-14T02:00:00.000Z",
        texts={
            "vi": t(
                "Khai mạc Lễ hội Hoa Đà Lạt lần thứ 11",
                "Lễ hội diễn ra trong năm ngày với hơn 100 hoạt động văn hóa, du lịch.",
                "Các tuyến phố trung tâm Đà Lạt được trang trí bằng hàng triệu chậu hoa, thu hút "
                "đông đảo du khách trong và ngoài nước.",
            ),
        },
    ),
    Story(
        # The seed's story (our own text, modelled on the seed's German page).
        slug="tap-trung-chi-dao-day-manh-xay-dung-chinh-don-dang-va-he-thong-chinh-tri",
        day=SEED_DAY,
        credit="Báo Bình Thuận",
        expected_source="baobinhthuan",
        original_url=(
            "https://baobinhthuan.com.vn/tap-trung-chi-dao-day-manh-xay-dung-chinh-don-dang-"
            "va-he-thong-chinh-tri-115311.html"
        ),
        template="b",
        sitemap_day=SEED_DAY,
        lastmod="2024-01-18T02:45:00.000Z",
        category="Chính trị",
        texts={
            "vi": t(
                "Tập trung chỉ đạo đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
                "Năm 2024, Bình Thuận tiếp tục đẩy mạnh thực hiện các nhiệm vụ, giải pháp để đạt "
                "các mục tiêu Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIV.",
                "BTO - Nhìn lại năm 2023, công tác xây dựng Đảng bám sát sự chỉ đạo của Trung "
                "ương và Tỉnh ủy, đạt nhiều kết quả tích cực.",
                "Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh tiếp tục được "
                "các cấp ủy, chính quyền và cơ quan, đơn vị đẩy mạnh.",
                "Năm 2024, Ban Thường vụ Tỉnh ủy xác định nhiệm vụ trọng tâm là xây dựng, chỉnh "
                "đốn Đảng và hệ thống chính trị trong sạch, vững mạnh.",
            ),
            "de": t(
                "Schwerpunkt auf Aufbau und Erneuerung der Partei und des politischen Systems",
                "Im Jahr 2024 treibt Binh Thuan die Aufgaben und Lösungen voran, um die Ziele der "
                "Resolution des 14. Provinzparteitags zu erreichen.",
                "BTO - Im Rückblick auf das Jahr 2023 folgte die Parteiarbeit eng den Vorgaben "
                "des Zentralkomitees und des Provinzparteikomitees und erzielte positive "
                "Ergebnisse.",
                "Das Studium und die Nachahmung von Ho Chi Minhs Gedankengut, Moral und Stil "
                "wurden von den Parteikomitees, Behörden und Einheiten weiter gefördert.",
                "Für 2024 legte der Ständige Ausschuss des Provinzparteikomitees den Aufbau einer "
                "sauberen und starken Partei und eines starken politischen Systems als "
                "Schwerpunkt fest.",
            ),
            "en": t(
                "Focus on building and rectifying the Party and the political system",
                "In 2024 Binh Thuan presses on with tasks and solutions to reach the goals of the "
                "14th provincial Party Congress resolution.",
                "BTO - Looking back at 2023, Party building closely followed the direction of the "
                "Central Committee and the provincial Party Committee and achieved good results.",
                "Studying and following Ho Chi Minh's thought, ethics and style continued to be "
                "promoted by Party committees, authorities and units.",
                "For 2024 the Standing Committee set building a clean and strong Party and "
                "political system as the key task.",
            ),
        },
    ),
]

# Korean app feed (research §5 [app]) and the news sitemap: a few recent stories.
KOREAN_FEED = [
    "nong-dan-ha-tinh-thu-hoach-cam-bu-som",
    "nha-trang-ra-quan-don-rac-bo-bien-sau-mua-lu",
]
NEWS_SITEMAP = [
    "nha-trang-ra-quan-don-rac-bo-bien-sau-mua-lu",
    "lien-minh-chau-au-thong-qua-goi-ho-tro-nong-nghiep-moi",
]
REGENERATED = "nong-dan-ha-tinh-thu-hoach-cam-bu-som"
# The story's lastmod on the second request of its daily sitemap: the portal's own clock, days
# later, yet long before any crawl of these tests (lastmod is compared with what was seen).
REGENERATED_LASTMOD = "2025-12-15T03:15:00.000Z"


def story(slug: str) -> Story:
    return next(s for s in STORIES if s.slug == slug)


# -- pages -------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return escape(text, quote=True)


def _image(story: Story, index: int) -> str:
    day = story.day
    return (
        f"https://vstatic.vietnam.vn/vietnam/resource/IMAGE/{day:%Y/%m/%d}/"
        f"{1765500000000 + index * 1000 + day.day}_{story.slug[:24]}.jpeg"
    )


def _switcher(story: Story, language: str) -> list[tuple[str, str, str]]:
    """(language, URL, label) of every entry of the language switcher on a page."""
    entries = [(lang, story.url(lang), LANGUAGE_NAMES[lang]) for lang in story.texts]
    entries += [(lang, f"{WWW}/{lang}/", LANGUAGE_NAMES[lang]) for lang in story.homes]
    return entries


def _paragraphs(story: Story, language: str, text: Text) -> list[str]:
    """The body's blocks as the page prints them: an ad placeholder between the first two
    paragraphs, one inside the last, the Vietnamese byline last."""
    *first, last = text.body
    body = [f"<p>{_e(p)}</p>" for p in first]
    body.append(f"<p>{_e(last)} {_e(AD[language].replace('_1', '_2'))}</p>")
    body.insert(1, f"<p>{_e(AD[language])}</p>")
    if language == "vi" and story.byline:
        body.append(f"<p>{_e(story.byline)}</p>")
    return body


def _related(language: str) -> list[tuple[str, str]]:
    """Two teasers of other stories (same language)."""
    others = [s for s in STORIES if language in s.texts][:3]
    return [(s.url(language), s.texts[language].title) for s in others][:2]


def page(story: Story, language: str, text: Text) -> str:
    return {"a": _page_a, "b": _page_b, "c": _page_c}[story.template](story, language, text)


def _head(story: Story, language: str, text: Text, *, hreflang: bool) -> str:
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{language}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(text.title)} - Vietnam.vn</title>",
        f'<meta property="og:title" content="{_e(text.title)} - Vietnam.vn">',
        f'<meta property="og:description" content="{_e(text.sapo)}">',
        '<meta property="og:site_name" content="Vietnam.vn">',
        f'<link rel="canonical" href="{story.canonical(language)}">',
    ]
    if hreflang:
        for lang in story.hreflang:
            if lang in story.texts:
                lines.append(
                    f'<link rel="alternate" hreflang="{lang}" href="{story.canonical(lang)}">'
                )
        if "vi" in story.hreflang:
            lines.append(
                f'<link rel="alternate" hreflang="x-default" href="{story.canonical("vi")}">'
            )
    return "\n".join(lines)


def _source_line(story: Story) -> str:
    return (
        f'<div class="post-source"><a class="source-logo" href="{WWW}/organization/x" '
        f'title="{_e(story.credit)}"><span>{_e(story.credit)}</span></a>'
        f'<a class="source-name" href="{WWW}/organization/x">{_e(story.credit)}</a>'
        f'<span class="post-date">{story.day:%d/%m/%Y}</span></div>'
    )


def _page_a(story: Story, language: str, text: Text) -> str:
    switcher = "".join(
        f'<li><a href="{url}">{_e(label)}</a></li>' for _, url, label in _switcher(story, language)
    )
    jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": text.title,
        "inLanguage": language,
        "publisher": {"@type": "Organization", "name": "Vietnam.vn"},
    }
    trailer = f'<span class="label">{SOURCE_LABEL[language]}</span>'
    if story.original_url:
        trailer += (
            f' <a href="{_e(story.original_url)}" target="_blank" rel="nofollow">'
            f'<img src="{WWW}/images/source-logo.png" alt=""></a>'
        )
    related = "".join(
        f'<li class="item"><a class="v-link-title" href="{url}" title="{_e(title)}">{_e(title)}'
        f'</a><div class="item-source">{_e(story.credit)}{_e(story.credit)}'
        f"{story.day:%d/%m/%Y}</div></li>"
        for url, title in _related(language)
    )
    body = "\n".join(_paragraphs(story, language, text))
    figure = (
        f'<figure class="image"><img src="{_image(story, 1)}" alt="">'
        f"<figcaption>{_e(text.title)}</figcaption></figure>"
    )
    return f"""{_head(story, language, text, hreflang=True)}
<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>
</head>
<body>
<header class="site-header"><a class="logo" href="{WWW}/">Vietnam.vn</a>
<p class="slogan">{SLOGAN}</p>
<nav class="main-menu"><a href="{WWW}/category/thoi-su">Thời sự</a>
<a href="{WWW}/category/kinh-te">Kinh tế</a><a href="{WWW}/category/du-lich">Du lịch</a></nav>
<ul class="language-switcher">{switcher}</ul>
</header>
<main class="container">
<div class="breadcrumb"><a href="{WWW}/">Trang chủ</a> › <a href="{WWW}/category/news">News</a>
 › <a href="{WWW}/category/x">{_e(story.category)}</a></div>
<article class="post">
<h1 class="post-title">{_e(text.title)}</h1>
<div class="post-sapo">{_e(text.sapo)}</div>
{_source_line(story)}
<div class="article-content">
{body.split(chr(10), 1)[0]}
{figure}
{body.split(chr(10), 1)[1]}
</div>
<div class="post-source-block">{trailer}</div>
<div class="tags"><a href="{WWW}/tag/tin-tuc">tin tức</a>
<a href="{WWW}/tag/dia-phuong">địa phương</a></div>
<div class="comments-box"><h3>{COMMENTS[language]} (0)</h3><form><textarea></textarea></form></div>
<div class="related-posts"><h3>Cùng chuyên mục</h3><ul>{related}</ul></div>
</article>
</main>
<footer class="site-footer"><p>{SLOGAN}. Cơ quan chủ quản: Bộ Văn hóa, Thể thao và Du lịch.</p>
</footer>
</body>
</html>
"""


def _page_b(story: Story, language: str, text: Text) -> str:
    menu = "".join(
        f'<a lang="{lang}" href="{url}">{lang.upper()}</a>'
        for lang, url, _ in _switcher(story, language)
    )
    based_on: dict[str, object] = {"@type": "NewsArticle", "publisher": {"name": story.credit}}
    if story.original_url:
        based_on["url"] = story.original_url
    jsonld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": text.title,
              "isBasedOn": based_on}  # fmt: skip
    body = "\n".join(_paragraphs(story, language, text))
    credit = f"<span>{_e(story.credit)}</span>" * 2 + f"<span>{story.day:%d/%m/%Y}</span>"
    more = "".join(
        f'<div class="item"><a class="v-link-title" href="{u}" title="{_e(ti)}">{_e(ti)}</a></div>'
        for u, ti in _related(language)
    )
    return f"""{_head(story, language, text, hreflang=False)}
<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>
</head>
<body>
<div class="top"><div class="brand"><a href="{WWW}/">Vietnam.vn</a> {SLOGAN}</div>
<div id="lang-menu">{menu}</div></div>
<div class="detail">
<h1 class="detail__title">{_e(text.title)}</h1>
<p class="detail__sapo"><strong>{_e(text.sapo)}</strong></p>
<div class="detail__source">{credit}</div>
<div class="detail__text">
{body}
<p>{SOURCE_LABEL[language]}</p>
<p>{COMMENTS[language]} (0)</p>
</div>
</div>
<section class="more">{more}</section>
</body>
</html>
"""


def _page_c(story: Story, language: str, text: Text) -> str:
    bar = " · ".join(
        f'<a href="{url}">{_e(label)}</a>' for lang, url, label in _switcher(story, language)
        if lang != language
    )  # fmt: skip
    paragraphs = _paragraphs(story, language, text)
    half = len(paragraphs) // 2
    source = f"{SOURCE_LABEL[language]}: "
    if story.original_url:
        source += f'<a href="{_e(story.original_url)}">{_e(story.original_url)}</a>'
    else:
        source += _e(story.credit)
    related = "".join(f'<li><a href="{u}">{_e(ti)}</a></li>' for u, ti in _related(language))
    return f"""{_head(story, language, text, hreflang=True)}
</head>
<body>
<div class="toolbar"><a href="{WWW}/">Vietnam.vn</a> | {bar}</div>
<article>
<h1>{_e(text.title)}</h1>
<p class="meta">{_e(story.credit)}•{story.day:%d/%m/%Y}</p>
<p class="lead">{_e(text.sapo)}</p>
<section>
{chr(10).join(paragraphs[:half])}
</section>
<section>
<img src="{_image(story, 2)}" alt="">
{chr(10).join(paragraphs[half:])}
</section>
<p>{source}</p>
<p>{COMMENTS[language]} (0)</p>
<ul>{related}</ul>
</article>
<footer><p>{SLOGAN}</p></footer>
</body>
</html>
"""


# -- discovery documents ----------------------------------------------------------------------


def _sitemap_index() -> str:
    days = sorted({s.sitemap_day for s in STORIES} | {date(2025, 12, 9)})
    children = [f"{WWW}/sitemap/sitemap-post/{d.isoformat()}.xml" for d in days]
    children += [f"{WWW}/sitemap-category.xml", f"{WWW}/news-sitemap.xml"]
    entries = "\n".join(
        f"  <sitemap><loc>{c}</loc><lastmod>{_day_of(c)}T23:59:00.000Z</lastmod></sitemap>"
        for c in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</sitemapindex>\n"
    )


def _day_of(url: str) -> str:
    name = url.rsplit("/", 1)[-1].removesuffix(".xml")
    return name if name[:4].isdigit() else "2025-12-14"


def _daily_sitemap(day: date, *, regenerated: bool = False) -> str:
    entries = []
    for s in STORIES:
        if s.sitemap_day != day:
            continue
        lastmod = REGENERATED_LASTMOD if regenerated and s.slug == REGENERATED else s.lastmod
        loc = s.listed or s.url("vi")
        entries.append(f"  <url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(entries)
        + "\n</urlset>\n"
    )


def _news_sitemap() -> str:
    entries = []
    for slug in NEWS_SITEMAP:
        s = story(slug)
        entries.append(
            f"  <url><loc>{s.url('vi')}</loc><news:news><news:publication>"
            "<news:name>Vietnam.vn</news:name><news:language>vi</news:language>"
            f"</news:publication><news:publication_date>{s.day.isoformat()}T08:00:00+07:00"
            f"</news:publication_date><news:title>{_e(s.texts['vi'].title)}</news:title>"
            "</news:news></url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "\n".join(entries)
        + "\n</urlset>\n"
    )


def _category_sitemap() -> str:
    urls = [f"{WWW}/category/{c}" for c in ("thoi-su", "kinh-te", "du-lich", "the-thao")]
    entries = "\n".join(f"  <url><loc>{u}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</urlset>\n"
    )


def _korean_feed() -> str:
    items = []
    for slug in KOREAN_FEED:
        s = story(slug)
        items.append(
            f"<item><title>{_e(s.texts['ko'].title)}</title><link>{s.url('ko')}</link>"
            f"<pubDate>{s.day:%a, %d %b %Y} 09:00:00 +0700</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Vietnam.vn 한국어</title><link>{WWW}/ko/</link>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    )


def _language_home(language: str) -> str:
    teasers = "".join(
        f'<div class="item"><a class="v-link-title" href="{s.url(language)}" '
        f'title="{_e(s.texts[language].title)}">{_e(s.texts[language].title)}</a></div>'
        for s in STORIES
        if language in s.texts
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>Vietnam.vn</title></head><body><h1>Vietnam.vn</h1>{teasers}</body></html>\n"
    )


def _category_page() -> str:
    teasers = "".join(
        f'<div class="item"><a class="v-link-title" href="{s.url("vi")}" '
        f'title="{_e(s.texts["vi"].title)}">{_e(s.texts["vi"].title)}</a>'
        f'<p class="sapo">{_e(s.texts["vi"].sapo)}</p>'
        f'<div class="item-source">{_e(s.credit)}{_e(s.credit)}{s.day:%d/%m/%Y}</div></div>'
        for s in STORIES[:8]
    )
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        "<title>Xã hội - Vietnam.vn</title></head><body>"
        f'<p class="slogan">{SLOGAN}</p><h1>Xã hội</h1>{teasers}</body></html>\n'
    )


# -- files and expectations ---------------------------------------------------------------------


def _file_of(url: str) -> Path:
    """Where the fixture server looks for ``url`` (``www.`` stripped; see server.py)."""
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    host = host.removeprefix("www.")
    if not path or path.endswith("/"):
        path += "index.html"
    return Path(host) / path


def files() -> dict[Path, str]:
    """Every file of the portal's fixture sites, relative to ``sites/``."""
    out: dict[Path, str] = {}
    routes = ["# Scripted answers (see tests/fixtureweb/README.md); written by portal.py\n"]
    for s in STORIES:
        for language, text in s.texts.items():
            html = page(s, language, text)
            target = _file_of(s.url(language))
            if language in s.regenerated:
                path = "/" + str(target.relative_to(target.parts[0]))
                v1 = Path("vietnam.vn/_src") / f"{language}-{s.slug}-v1.html"
                v2 = Path("vietnam.vn/_src") / f"{language}-{s.slug}-v2.html"
                out[v1] = html
                out[v2] = page(s, language, s.regenerated[language])
                routes.append(
                    f'\n[[route]]\npath = "{path}"\n'
                    f'answers = [{{ file = "{v1.relative_to("vietnam.vn")}" }}, '
                    f'{{ file = "{v2.relative_to("vietnam.vn")}" }}]\n'
                )
                continue
            out[target] = html
            if s.canonical(language) != s.url(language):  # the mirror's canonical page too
                out[_file_of(s.canonical(language))] = html
        if s.listed:
            out[_file_of(s.listed)] = page(s, "vi", s.texts["vi"])
    for day in sorted({s.sitemap_day for s in STORIES} | {date(2025, 12, 9)}):
        name = f"sitemap/sitemap-post/{day.isoformat()}.xml"
        if any(s.slug == REGENERATED and s.sitemap_day == day for s in STORIES):
            out[Path("vietnam.vn/_src") / f"sitemap-post-{day}-v1.xml"] = _daily_sitemap(day)
            out[Path("vietnam.vn/_src") / f"sitemap-post-{day}-v2.xml"] = _daily_sitemap(
                day, regenerated=True
            )
            routes.append(
                f'\n[[route]]\npath = "/{name}"\n'
                f'answers = [{{ file = "_src/sitemap-post-{day}-v1.xml" }}, '
                f'{{ file = "_src/sitemap-post-{day}-v2.xml" }}]\n'
            )
        else:
            out[Path("vietnam.vn") / name] = _daily_sitemap(day)
    out[Path("vietnam.vn/sitemap.xml")] = _sitemap_index()
    out[Path("vietnam.vn/news-sitemap.xml")] = _news_sitemap()
    out[Path("vietnam.vn/sitemap-category.xml")] = _category_sitemap()
    out[Path("vietnam.vn/ko/sitemap.rss")] = _korean_feed()
    for language in ("vi", "de", "en", "ko", "zh"):
        home = Path("vietnam.vn") / ("index.html" if language == "vi" else f"{language}/index.html")
        out[home] = _language_home(language)
    out[Path("vietnam.vn/category/xa-hoi")] = _category_page()
    robots = "User-agent: *\nAllow: /\nSitemap: https://www.vietnam.vn/sitemap.xml\n"
    out[Path("vietnam.vn/robots.txt")] = robots
    for mirror in ("thongtin.vietnam.vn", "vjs.vietnam.vn"):
        out[Path(mirror) / "robots.txt"] = "User-agent: *\nAllow: /\n"
    out[Path("vietnam.vn/_routes.toml")] = "".join(routes)
    return out


def _in_range(day: date) -> str | None:
    if day < RANGE[0]:
        return "left:since"
    if day > RANGE[1]:
        return "left:until"
    return None


def expected() -> dict[str, object]:
    """What a crawl of the range must end with, per portal URL (as discovered)."""
    stories = []
    for s in STORIES:
        read = RANGE[0].toordinal() - 1 <= s.sitemap_day.toordinal() <= RANGE[1].toordinal() + 1
        versions = []
        for language, text in s.texts.items():
            listed = s.listed if (language == "vi" and s.listed) else s.url(language)
            outcome = _in_range(s.day) or "stored"
            if not read:
                outcome = "not_requested"
            versions.append(
                {
                    "language": language,
                    "url": listed,
                    "canonical_url": s.canonical(language).replace("://www.", "://"),
                    "outcome": outcome,
                    "fetched": read and (language == "vi" or outcome == "stored"),
                    "title": text.title,
                    "sapo": text.sapo,
                    "body": text.body,
                    "regenerated_body": s.regenerated[language].body
                    if language in s.regenerated
                    else None,
                }
            )
        stories.append(
            {
                "translation_key": s.slug,
                "published": s.day.isoformat(),
                "credit": s.credit,
                "original_url": s.original_url,
                "original_source_id": s.expected_source,
                "byline": s.byline,
                "versions": versions,
                "language_homes": [f"{WWW}/{lang}/" for lang in s.homes],
            }
        )
    return {
        "_about": "SYNTHETIC: what a crawl of vietnam.vn (and the provincial fixture papers) "
        f"with --since {RANGE[0]} --until {RANGE[1]} must end with; written by portal.py. "
        "outcome: stored, left:since, left:until, not_requested (a daily sitemap the range "
        "does not read). fetched: whether the URL is requested at all (the translations of a "
        "story outside the range are not).",
        "range": [RANGE[0].isoformat(), RANGE[1].isoformat()],
        "regenerated": {"translation_key": REGENERATED, "language": "de"},
        "stories": stories,
    }


def write(sites: Path = SITES, expected_path: Path = EXPECTED) -> list[Path]:
    written = []
    for rel, text in files().items():
        path = sites / rel
        if not path.exists() or path.read_text("utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            written.append(path)
    text = json.dumps(expected(), ensure_ascii=False, indent=1) + "\n"
    if not expected_path.exists() or expected_path.read_text("utf-8") != text:
        expected_path.write_text(text, "utf-8")
        written.append(expected_path)
    return written


if __name__ == "__main__":
    for path in write():
        print(f"wrote {path}", file=sys.stderr)
