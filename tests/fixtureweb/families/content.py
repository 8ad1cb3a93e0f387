"""The families web's papers and articles (SYNTHETIC: our own Vietnamese text; see README.md).

Hosts, URL shapes, feeds and listings follow each paper's registry entry and
``../shared/research/sources.md``; the markup follows the parser fixtures of its family
(``tests/fixtures/parsers/<family>/``). Every page's site header prints "today"
(15/12/2025) while the article's date line says another day.
"""

from __future__ import annotations

from tests.fixtureweb.families.model import Article, Page, Redirect, Site

TODAY = "Thứ Hai, ngày 15/12/2025"
TODAY_SHORT = "Thứ Hai, 15/12/2025"

# -- family D: baonghean.vn ----------------------------------------------------------------------
# /<slug>-<6 digits>.html at the root [pub]; the legacy -post<id>.html [pub]; topic pages
# -event<id>.html [cfg25]; feeds /rss/home.rss and /rss/kinh-te.rss are guesses: the first
# exists here, the second answers 404 (a failed probe, reported apart).

THOI_SU_NA = ("Thời sự", "/thoi-su/")
KINH_TE_NA = ("Kinh tế", "/kinh-te/")
EVENT_NA = "/dai-hoi-dang-bo-tinh-nghe-an-lan-thu-xx-event15.html"

BAONGHEAN = Site(
    host="baonghean.vn",
    source_id="baonghean",
    paper="Báo Nghệ An",
    family="D",
    today=TODAY,
    menu=(
        THOI_SU_NA,
        KINH_TE_NA,
        ("Đại hội Đảng", EVENT_NA),
        ("Chuyên mục", "/chuyen-muc-123.html"),
        ("Tìm kiếm", "/tim-kiem?q=ocop"),
    ),
    robots_sitemaps=("/sitemap.xml",),
    articles=[
        Article(
            "/nghe-an-don-5-du-an-fdi-moi-trong-thang-11-312401.html",
            "Nghệ An đón 5 dự án FDI mới trong tháng 11",
            "(Baonghean.vn) - Tổng vốn đăng ký của 5 dự án đạt hơn 410 triệu USD, tập trung vào "
            "linh kiện điện tử và năng lượng tái tạo.",
            (
                "Các dự án được cấp chứng nhận đầu tư tại Khu kinh tế Đông Nam và các khu công "
                "nghiệp Thọ Lộc, Hoàng Mai, dự kiến tạo việc làm cho khoảng 9.000 lao động.",
                "Lãnh đạo Ban Quản lý Khu kinh tế Đông Nam cho biết tỉnh đã rút ngắn thời gian "
                "giải quyết thủ tục đầu tư xuống còn 10 ngày làm việc.",
                "Từ đầu năm đến nay, Nghệ An thu hút 38 dự án FDI với tổng vốn hơn 1,5 tỷ USD.",
            ),
            ("Thành Cường",),
            "2025-12-13T06:32:00+07:00",
            "minute",
            "Ngày 13/12/2025 06:32 GMT+7",
            KINH_TE_NA,
            (("khu công nghiệp", "/tag/khu-cong-nghiep.html"), ("FDI", "/tag/fdi.html")),
            via=("home", "feed:/rss/home.rss", "sitemap:/sitemap.xml"),
        ),
        Article(
            "/vinh-hoan-thanh-nang-cap-dai-lo-le-nin-312388.html",
            "Vinh hoàn thành nâng cấp đại lộ Lê Nin",
            "(Baonghean.vn) - Tuyến đường dài 3,2 km được mở rộng lên 6 làn xe, lắp mới hệ thống "
            "chiếu sáng và cây xanh.",
            (
                "Công trình có tổng vốn 290 tỷ đồng, khởi công từ tháng 3 và hoàn thành sớm hơn kế "
                "hoạch hai tháng nhờ thi công ba ca.",
                "Người dân hai bên đường đồng thuận bàn giao mặt bằng, nhiều hộ tự nguyện lùi "
                "tường rào để mở rộng vỉa hè.",
            ),
            ("Quang An",),
            "2025-12-12T17:20:00+07:00",
            "minute",
            "Ngày 12/12/2025 17:20 GMT+7",
            THOI_SU_NA,
            via=("home", "feed:/rss/home.rss"),
            byline="Bài và ảnh: Quang An",
        ),
        Article(
            "/cua-lo-thi-diem-pho-di-bo-ven-bien-mua-dong-312375.html",
            "Cửa Lò thí điểm phố đi bộ ven biển mùa đông",
            "(Baonghean.vn) - Phố đi bộ mở vào tối thứ Bảy và Chủ nhật, kéo dài đến hết tháng 2 "
            "năm sau.",
            (
                "Thị xã bố trí 40 gian hàng ẩm thực, trình diễn dân "
                "ca ví, giặm và các trò chơi dân "
                "gian dọc đường Bình Minh.",
                "Các khách sạn ven biển giảm giá phòng từ 20 đến 30% để thu hút du khách trong mùa "
                "thấp điểm.",
            ),
            ("Quang Dũng",),
            "2025-12-12T10:05:00+07:00",
            "minute",
            "12/12/2025 10:05",
            THOI_SU_NA,
            via=("home", "sitemap:/sitemap.xml"),
            style="block",
        ),
        Article(
            "/nong-dan-yen-thanh-trong-ngo-sinh-khoi-vu-dong-312360.html",
            "Nông dân Yên Thành trồng ngô sinh khối vụ đông",
            "(Baonghean.vn) - Diện tích ngô sinh khối vụ đông năm nay đạt 1.200 ha, tăng gần gấp "
            "đôi so với năm trước.",
            (
                "Ngô sinh khối được các trang trại bò sữa bao tiêu với giá 1.100 đồng mỗi kilôgam, "
                "giúp nông dân lãi khoảng 25 triệu đồng mỗi hecta.",
                "Huyện hỗ trợ 50% giá giống cho các hộ tham gia liên kết sản xuất.",
            ),
            ("Thanh Lê",),
            "2025-12-11T19:00:00+07:00",
            "minute",
            "Thứ Năm, 11/12/2025 - 19:00",
            KINH_TE_NA,
            via=("home",),
            style="unknown-date",
        ),
        Article(
            "/hoc-sinh-ky-son-den-truong-trong-gia-ret-312349.html",
            "Học sinh Kỳ Sơn đến trường trong giá rét",
            "(Baonghean.vn) - Nhiệt độ ở các xã vùng cao xuống dưới 8 độ C, nhiều trường cho học "
            "sinh đến muộn một giờ.",
            (
                "Các trường bán trú đã chuẩn bị chăn ấm, nước nóng và bếp sưởi cho học sinh ở lại "
                "trường.",
                "Ngành giáo dục huyện vận động được hơn 2.000 áo ấm từ các nhà hảo tâm.",
            ),
            ("Hữu Vi", "Tiến Đông"),
            "2025-12-11T08:45:00+07:00",
            "minute",
            "Ngày 11/12/2025 08:45 GMT+7",
            THOI_SU_NA,
            via=("home",),
            byline="Hữu Vi - Tiến Đông",
        ),
        Article(
            "/tinh-doan-nghe-an-ra-quan-hien-mau-tinh-nguyen-312337.html",
            "Tỉnh đoàn Nghệ An ra quân hiến máu tình nguyện",
            "(Baonghean.vn) - Ngày hội Chủ nhật đỏ năm nay tiếp nhận hơn 1.500 đơn vị máu.",
            (
                "Đoàn viên, sinh viên các trường đại học trên địa bàn thành phố Vinh chiếm hơn một "
                "nửa số người tham gia.",
                "Lượng máu tiếp nhận được chuyển về Bệnh viện Hữu "
                "nghị Đa khoa tỉnh phục vụ cấp cứu "
                "dịp cuối năm.",
            ),
            ("Thu Huyền",),
            "2025-12-10T15:30:00+07:00",
            "minute",
            "10/12/2025 15:30",
            THOI_SU_NA,
            via=("home",),
            style="block",
        ),
        Article(
            "/ho-vuc-mau-tich-nuoc-phuc-vu-vu-xuan-312320.html",
            "Hồ Vực Mấu tích nước phục vụ vụ xuân",
            "(Baonghean.vn) - Hồ chứa đã đạt 92% dung tích thiết kế, đủ nước tưới cho 6.000 ha "
            "lúa vụ xuân.",
            (
                "Công ty Thủy lợi Bắc yêu cầu các trạm quản lý vận hành hồ theo đúng quy trình, "
                "không để xả tràn khi có mưa lớn.",
                "Các xã hạ du được thông báo lịch lấy nước từ trước ngày 20 tháng Giêng.",
            ),
            ("Xuân Hoàng",),
            "2025-12-09T07:10:00+07:00",
            "minute",
            "Ngày 09/12/2025 07:10 GMT+7",
            KINH_TE_NA,
            via=("home2",),
        ),
        Article(
            "/lang-nghe-nuoc-mam-van-phan-vao-vu-tet-312304.html",
            "Làng nghề nước mắm Vạn Phần vào vụ Tết",
            "(Baonghean.vn) - Mỗi ngày làng nghề xuất bán khoảng 30.000 lít nước mắm cho thị "
            "trường các tỉnh phía Bắc.",
            (
                "Nhiều cơ sở đã đạt chứng nhận OCOP 3 sao và bán hàng qua sàn thương mại điện tử.",
                "Hợp tác xã hướng dẫn các hộ đóng chai theo tiêu "
                "chuẩn để đưa sản phẩm vào siêu thị.",
            ),
            ("Minh Thái",),
            "2025-12-08T16:00:00+07:00",
            "minute",
            "Ngày 08/12/2025 16:00 GMT+7",
            KINH_TE_NA,
            (("OCOP", "/tag/ocop.html"),),
            via=("home2",),
            style="no-meta",
        ),
        Article(
            "/nghe-an-cong-bo-12-san-pham-ocop-4-sao-312415.html",
            "Nghệ An công bố 12 sản phẩm OCOP 4 sao",
            "(Baonghean.vn) - Các sản phẩm được công nhận gồm chè, cam, mật ong và nước mắm của "
            "các hợp tác xã trong tỉnh.",
            (
                "Tổng số sản phẩm OCOP của tỉnh đến nay là 612, trong đó 48 sản phẩm đạt 4 sao.",
                "Sở Nông nghiệp và Môi trường sẽ hỗ trợ các chủ thể quảng bá sản phẩm tại hội chợ "
                "xuân.",
            ),
            ("Nguyễn Hải",),
            "2025-12-14T09:00:00+07:00",
            "minute",
            "Ngày 14/12/2025 09:00 GMT+7",
            KINH_TE_NA,
            (("OCOP", "/tag/ocop.html"),),
            via=("feed:/rss/home.rss",),
        ),
        Article(
            "/bai-3-giu-nghe-dan-mat-o-xuan-hoa-post4626.html",
            "Bài 3: Giữ nghề đan mát ở Xuân Hòa",
            "(Baonghean.vn) - Từ một làng có hàng trăm hộ làm nghề, nay Xuân Hòa chỉ còn vài chục "
            "người giữ nghề đan mát.",
            (
                "Những người thợ cao tuổi vẫn truyền nghề cho con cháu vào những tháng nông nhàn.",
                "Xã đang lập hồ sơ công nhận làng nghề truyền thống để có kinh phí hỗ trợ đào tạo.",
            ),
            ("Huy Thư",),
            "2021-03-18T08:00:00+07:00",
            "minute",
            "Ngày 18/03/2021 08:00 GMT+7",
            THOI_SU_NA,
            via=("sitemap:/sitemap.xml",),
        ),
    ],
    pages=[
        Page(EVENT_NA, "event", "Đại hội Đảng bộ tỉnh Nghệ An lần thứ XX", ()),
        Page("/tag/khu-cong-nghiep.html", "tag", "khu công nghiệp"),
        Page("/tag/ocop.html", "tag", "OCOP"),
        Page("/tag/fdi.html", "tag", "FDI"),
        Page("/thoi-su/", "category", "Thời sự"),
        Page("/kinh-te/", "category", "Kinh tế"),
        Page("/chuyen-muc-123.html", "category", "Chuyên mục"),
        Page("/tim-kiem?q=ocop", "search", "Tìm kiếm: ocop"),
    ],
)

# -- family E: baothanhhoa.vn --------------------------------------------------------------------
# /<slug>-<id>.htm [cfg25]; feeds /rss/home.rss and /rss/kinh-te.rss (guesses, both exist here).

THOI_SU_TH = ("Thời sự", "/thoi-su.htm")
KINH_TE_TH = ("Kinh tế", "/kinh-te.htm")

BAOTHANHHOA = Site(
    host="baothanhhoa.vn",
    source_id="baothanhhoa",
    paper="Báo Thanh Hóa",
    family="E",
    today=TODAY_SHORT,
    menu=(
        THOI_SU_TH,
        KINH_TE_TH,
        ("Đại hội Đảng", "/chu-de/dai-hoi-dang-bo-tinh-thanh-hoa.htm"),
        ("Tìm kiếm", "/tim-kiem.htm?keywords=fdi"),
    ),
    robots_sitemaps=("/sitemap-news.xml",),
    articles=[
        Article(
            "/thanh-hoa-thu-hut-3-du-an-fdi-vao-khu-kinh-te-nghi-son-268410.htm",
            "Thanh Hóa thu hút 3 dự án FDI vào Khu kinh tế Nghi Sơn",
            "(BTH) - Tổng vốn đăng ký của ba dự án đạt 520 triệu USD, nâng tổng vốn FDI vào khu "
            "kinh tế lên hơn 15 tỷ USD.",
            (
                "Ba dự án gồm nhà máy sản xuất tấm pin mặt trời, nhà máy sợi và một trung tâm "
                "logistics gắn với cảng Nghi Sơn.",
                "UBND tỉnh cam kết giải quyết thủ tục đầu tư trong tối đa 15 ngày làm việc.",
            ),
            ("Lê Hợi",),
            "2025-12-13T06:32:00+07:00",
            "minute",
            "13/12/2025 | 06:32",
            KINH_TE_TH,
            (("FDI", "/tag/fdi.htm"), ("Nghi Sơn", "/tag/nghi-son.htm")),
            via=("home", "feed:/rss/home.rss", "sitemap:/sitemap-news.xml"),
        ),
        Article(
            "/san-bay-tho-xuan-mo-duong-bay-den-dai-bac-268397.htm",
            "Sân bay Thọ Xuân mở đường bay đến Đài Bắc",
            "(BTH) - Đường bay khai thác 4 chuyến mỗi tuần, mở thêm cơ hội đón khách quốc tế đến "
            "xứ Thanh.",
            (
                "Chuyến bay đầu tiên cất cánh sáng 12/12 với 180 hành khách, phần lớn là lao động "
                "và du khách.",
                "Cảng hàng không Thọ Xuân đang nâng công suất nhà ga lên 5 triệu khách mỗi năm.",
            ),
            ("Đình Giang",),
            "2025-12-12T15:00:00+07:00",
            "minute",
            "12/12/2025 | 15:00",
            THOI_SU_TH,
            via=("home", "feed:/rss/home.rss"),
        ),
        Article(
            "/nga-son-ho-tro-nong-dan-tai-canh-coi-268385.htm",
            "Nga Sơn hỗ trợ nông dân tái canh cói",
            "(BTH) - Huyện hỗ trợ giống và phân bón cho 300 ha cói bị thoái hóa sau nhiều năm "
            "canh tác.",
            (
                "Cây cói là nguyên liệu chính của hơn 40 cơ sở dệt chiếu và làm hàng thủ công mỹ "
                "nghệ xuất khẩu.",
                "Huyện khuyến khích doanh nghiệp ký hợp đồng bao tiêu sản phẩm cho các hợp tác xã.",
            ),
            ("Hoàng Đông",),
            "2025-12-12T08:20:00+07:00",
            "minute",
            "12/12/2025 08:20",
            KINH_TE_TH,
            via=("home", "sitemap:/sitemap-news.xml"),
            style="body",
        ),
        Article(
            "/cho-phien-muong-lat-nhon-nhip-ngay-giap-tet-268371.htm",
            "Chợ phiên Mường Lát nhộn nhịp ngày giáp Tết",
            "(BTH) - Đồng bào Mông, Thái từ các bản xa mang nông sản, thổ cẩm xuống chợ từ sáng "
            "sớm.",
            (
                "Chợ phiên họp vào sáng Chủ nhật hằng tuần và đông nhất vào tháng cuối năm.",
                "Huyện đang xây dựng tour du lịch kết hợp chợ phiên và các bản văn hóa cộng đồng.",
            ),
            ("Đình Giang",),
            "2025-12-11T17:45:00+07:00",
            "minute",
            "Thứ Năm, 11/12/2025, 17:45 (GMT+7)",
            THOI_SU_TH,
            via=("home",),
            style="unknown-date",
        ),
        Article(
            "/doanh-nghiep-det-may-thanh-hoa-tuyen-2-000-lao-dong-268360.htm",
            "Doanh nghiệp dệt may Thanh Hóa tuyển 2.000 lao động",
            "(BTH) - Các doanh nghiệp dệt may cần thêm lao động để hoàn thành đơn hàng xuất khẩu "
            "dịp cuối năm.",
            (
                "Mức lương khởi điểm từ 7 đến 9 triệu đồng mỗi tháng, chưa kể phụ cấp và thưởng.",
                "Trung tâm Dịch vụ việc làm tỉnh tổ chức phiên giao dịch việc làm lưu động tại các "
                "huyện.",
            ),
            ("Minh Hằng",),
            "2025-12-11T09:10:00+07:00",
            "minute",
            "11/12/2025 | 09:10",
            KINH_TE_TH,
            via=("home", "feed:/rss/kinh-te.rss"),
        ),
        Article(
            "/thanh-hoa-day-manh-xuat-khau-thuy-san-sang-han-quoc-268352.htm",
            "Thanh Hóa đẩy mạnh xuất khẩu thủy sản sang Hàn Quốc",
            "(BTH) - Kim ngạch xuất khẩu thủy sản 11 tháng đạt 210 triệu USD, tăng 14% so với cùng "
            "kỳ.",
            (
                "Mực khô, cá cơm và ruốc là những mặt hàng được thị trường Hàn Quốc ưa chuộng.",
                "Các doanh nghiệp đầu tư dây chuyền chế biến đạt "
                "chuẩn HACCP để mở rộng thị trường.",
            ),
            ("Phong Sắc",),
            "2025-12-10T14:00:00+07:00",
            "minute",
            "10/12/2025 | 14:00",
            KINH_TE_TH,
            via=("home", "feed:/rss/kinh-te.rss"),
        ),
        Article(
            "/bao-ton-di-san-thanh-nha-ho-gan-voi-du-lich-268341.htm",
            "Bảo tồn di sản Thành nhà Hồ gắn với du lịch",
            "(BTH) - Năm 2025 di sản đón hơn 250.000 lượt khách, doanh thu từ vé tham quan tăng "
            "30%.",
            (
                "Trung tâm Bảo tồn di sản đã số hóa toàn bộ hiện "
                "vật và ra mắt ứng dụng thuyết minh "
                "tự động.",
                "Các hộ dân quanh di sản được hướng dẫn làm du lịch "
                "homestay và ẩm thực truyền thống.",
            ),
            ("Khánh Lộc",),
            "2025-12-09T10:30:00+07:00",
            "minute",
            "09/12/2025 | 10:30",
            THOI_SU_TH,
            via=("home2",),
        ),
        Article(
            "/hoang-hoa-xay-dung-nong-thon-moi-kieu-mau-268330.htm",
            "Hoằng Hóa xây dựng nông thôn mới kiểu mẫu",
            "(BTH) - Huyện có thêm 6 xã đạt chuẩn nông thôn mới kiểu mẫu trong năm 2025.",
            (
                "Người dân đóng góp hơn 40 tỷ đồng và hàng nghìn ngày công để làm đường, kênh "
                "mương nội đồng.",
                "Nhiều thôn xây dựng tuyến đường hoa, điểm sinh "
                "hoạt cộng đồng và mô hình phân loại "
                "rác tại nguồn.",
            ),
            ("Lê Hợi",),
            "2025-12-08T16:15:00+07:00",
            "minute",
            "08/12/2025 | 16:15",
            THOI_SU_TH,
            via=("home2",),
        ),
        Article(
            "/thanh-hoa-cap-can-cuoc-cho-tre-em-duoi-6-tuoi-268421.htm",
            "Thanh Hóa cấp căn cước cho trẻ em dưới 6 tuổi",
            "(BTH) - Công an tỉnh tổ chức cấp căn cước lưu động tại các trường mầm non trong "
            "tháng 12.",
            (
                "Phụ huynh có thể đăng ký trực tuyến qua ứng dụng định danh điện tử để được hẹn "
                "lịch.",
                "Đến nay toàn tỉnh đã cấp hơn 95.000 thẻ căn cước cho trẻ em.",
            ),
            ("Văn Tuấn",),
            "2025-12-14T07:00:00+07:00",
            "minute",
            "14/12/2025 | 07:00",
            THOI_SU_TH,
            via=("feed:/rss/home.rss",),
        ),
        Article(
            "/sam-son-khoi-cong-khu-do-thi-ven-bien-268430.htm",
            "Sầm Sơn khởi công khu đô thị ven biển",
            "(BTH) - Dự án rộng 85 ha với tổng vốn 6.800 tỷ đồng, hoàn thành trong 4 năm.",
            (
                "Khu đô thị có công viên ven biển, quảng trường và hệ thống khách sạn đạt chuẩn 4 "
                "sao trở lên.",
                "Thành phố cam kết bố trí tái định cư cho 120 hộ "
                "dân trước khi giải phóng mặt bằng.",
            ),
            ("Trần Thanh",),
            "2025-12-14T11:40:00+07:00",
            "minute",
            "14/12/2025 | 11:40",
            KINH_TE_TH,
            via=("feed:/rss/kinh-te.rss",),
            style="body",
        ),
    ],
    pages=[
        Page("/thoi-su.htm", "category", "Thời sự"),
        Page("/kinh-te.htm", "category", "Kinh tế"),
        Page("/tag/fdi.htm", "tag", "FDI"),
        Page("/tag/nghi-son.htm", "tag", "Nghi Sơn"),
        Page("/chu-de/dai-hoi-dang-bo-tinh-thanh-hoa.htm", "event", "Đại hội Đảng bộ tỉnh"),
        Page("/tim-kiem.htm?keywords=fdi", "search", "Tìm kiếm: fdi"),
    ],
)

# -- the numeric family: baolangson.vn ----------------------------------------------------------
# /<slug>-<7 digits>.html [app]; no feed is known: the sitemaps come from robots.txt.

THOI_SU_LS = ("Thời sự", "/thoi-su-11.html")
KINH_TE_LS = ("Kinh tế", "/kinh-te-12.html")

BAOLANGSON = Site(
    host="baolangson.vn",
    source_id="baolangson",
    paper="Báo Lạng Sơn",
    family="numeric",
    today=TODAY_SHORT,
    menu=(
        THOI_SU_LS,
        KINH_TE_LS,
        ("Đại hội Đảng", "/su-kien/dai-hoi-dang-bo-tinh-lang-son-lan-thu-xviii-56.html"),
        ("Tìm kiếm", "/tim-kiem.html?q=cua-khau"),
    ),
    robots_sitemaps=("/sitemap.xml",),
    sitemap_index={"/sitemap.xml": ["/sitemaps/news-2025-12.xml", "/sitemaps/news-2025-11.xml"]},
    articles=[
        Article(
            "/xuat-khau-qua-cua-khau-huu-nghi-dat-4-ty-usd-5082214.html",
            "Xuất khẩu qua cửa khẩu Hữu Nghị đạt 4 tỷ USD",
            "LSO - Kim ngạch xuất khẩu qua cửa khẩu Hữu Nghị 11 tháng đạt 4 tỷ USD, tăng 23% so "
            "với cùng kỳ năm trước.",
            (
                "Linh kiện điện tử, máy móc và trái cây là các mặt hàng chủ lực; mỗi ngày có "
                "khoảng 1.300 lượt xe hàng qua cửa khẩu.",
                "Hệ thống cửa khẩu số giúp rút ngắn thời gian thông quan xuống còn khoảng 25 phút "
                "mỗi xe.",
            ),
            ("Phương Nhung",),
            "2025-12-13T06:32:00+07:00",
            "minute",
            "Thứ Bảy, 13/12/2025 06:32 (GMT+7)",
            KINH_TE_LS,
            (("Cửa khẩu Hữu Nghị", "/tags/cua-khau-huu-nghi-2231.html"),),
            via=("home", "sitemap:/sitemaps/news-2025-12.xml"),
        ),
        Article(
            "/lang-son-thong-xe-ky-thuat-cao-toc-dong-dang-tra-linh-5082190.html",
            "Lạng Sơn thông xe kỹ thuật cao tốc Đồng Đăng - Trà Lĩnh",
            "LSO - Đoạn tuyến dài 93 km nối cửa khẩu Hữu Nghị với Cao Bằng được thông xe kỹ thuật "
            "sau hai năm thi công.",
            (
                "Tuyến cao tốc giúp rút ngắn thời gian đi từ Lạng Sơn đến Cao Bằng từ 4 giờ xuống "
                "còn khoảng 1 giờ 30 phút.",
                "Nhà đầu tư đang hoàn thiện các trạm dừng nghỉ và hệ thống giao thông thông minh.",
            ),
            ("Minh Tuấn",),
            "2025-12-12T15:00:00+07:00",
            "minute",
            "Thứ Sáu, 12/12/2025 15:00 (GMT+7)",
            THOI_SU_LS,
            via=("home", "sitemap:/sitemaps/news-2025-12.xml"),
        ),
        Article(
            "/nong-dan-loc-binh-thu-hoach-hoi-vu-chinh-5082175.html",
            "Nông dân Lộc Bình thu hoạch hồi vụ chính",
            "LSO - Giá hồi khô năm nay đạt 110.000 đồng mỗi kilôgam, cao nhất trong 5 năm trở lại "
            "đây.",
            (
                "Toàn huyện có hơn 4.000 ha hồi, sản lượng vụ chính ước đạt 3.500 tấn quả tươi.",
                "Hợp tác xã hướng dẫn nông dân sấy hồi bằng lò hơi để giữ màu và mùi thơm.",
            ),
            ("Hoàng Minh",),
            "2025-12-12T09:20:00+07:00",
            "minute",
            "12/12/2025 - 09:20 (GMT+07:00)",
            KINH_TE_LS,
            via=("home",),
            style="span-after-headline",
        ),
        Article(
            "/cho-dong-kinh-mo-cua-tro-lai-sau-cai-tao-5082161.html",
            "Chợ Đông Kinh mở cửa trở lại sau cải tạo",
            "LSO - Sau 18 tháng cải tạo, chợ Đông Kinh bố trí lại 1.200 điểm kinh doanh theo "
            "ngành hàng.",
            (
                "Chợ được lắp hệ thống phòng cháy tự động, camera "
                "giám sát và thanh toán không dùng "
                "tiền mặt.",
                "Tiểu thương được miễn phí thuê điểm kinh doanh trong ba tháng đầu.",
            ),
            ("Hà Linh",),
            "2025-12-11T16:10:00+07:00",
            "minute",
            "Thứ Năm, 11/12/2025 16:10 (GMT+7)",
            THOI_SU_LS,
            via=("home",),
            style="byline-in-body",
        ),
        Article(
            "/doanh-nghiep-logistics-dau-tu-kho-lanh-tai-cao-loc-5082150.html",
            "Doanh nghiệp logistics đầu tư kho lạnh tại Cao Lộc",
            "LSO - Kho lạnh có sức chứa 5.000 tấn, phục vụ bảo quản nông sản chờ thông quan.",
            (
                "Việc có kho lạnh gần cửa khẩu giúp giảm hư hỏng trái cây trong những ngày ùn tắc "
                "cuối năm.",
                "Tỉnh đang kêu gọi thêm 3 dự án trung tâm logistics tại khu kinh tế cửa khẩu.",
            ),
            ("Phương Nhung",),
            "2025-12-11T10:40:00+07:00",
            "minute",
            "Thứ Năm, 11/12/2025 10:40 (GMT+7)",
            KINH_TE_LS,
            via=("home",),
        ),
        Article(
            "/thu-ngan-sach-tu-xuat-nhap-khau-vuot-du-toan-5082138.html",
            "Thu ngân sách từ xuất nhập khẩu vượt dự toán",
            "LSO - Số thu từ hoạt động xuất nhập khẩu đạt 8.200 tỷ đồng, vượt 9% dự toán năm.",
            (
                "Hải quan tỉnh đẩy mạnh thủ tục điện tử và kiểm tra sau thông quan để chống thất "
                "thu.",
                "Các doanh nghiệp lớn đều nộp thuế qua ngân hàng, không còn nộp tiền mặt tại cửa "
                "khẩu.",
            ),
            ("Thu Trang",),
            "2025-12-10T14:00:00+07:00",
            "minute",
            "Thứ Tư, 10/12/2025 14:00 (GMT+7)",
            KINH_TE_LS,
            via=("home",),
        ),
        Article(
            "/mau-son-don-du-khach-ngam-bang-tuyet-5082120.html",
            "Mẫu Sơn đón du khách ngắm băng tuyết",
            "LSO - Nhiệt độ trên đỉnh Mẫu Sơn xuống dưới 0 độ C, xuất hiện băng giá trên cành cây.",
            (
                "Hàng nghìn du khách lên núi từ sáng sớm để ngắm băng giá và chụp ảnh.",
                "Lực lượng chức năng phân luồng giao thông trên tuyến đường đèo và khuyến cáo lái "
                "xe chậm.",
            ),
            ("Việt Hùng",),
            "2025-12-09T08:00:00+07:00",
            "minute",
            "Thứ Ba, 09/12/2025 08:00 (GMT+7)",
            THOI_SU_LS,
            via=("home2",),
        ),
        Article(
            "/bac-son-phat-trien-du-lich-cong-dong-5082104.html",
            "Bắc Sơn phát triển du lịch cộng đồng",
            "LSO - Thung lũng Bắc Sơn có 60 homestay, đón hơn 100.000 lượt khách trong năm.",
            (
                "Người dân giữ nhà sàn truyền thống, phục vụ khách món ăn đặc sản và văn nghệ dân "
                "tộc Tày.",
                "Huyện tập huấn kỹ năng đón khách và ngoại ngữ cho các hộ làm du lịch.",
            ),
            ("Lam Trà",),
            "2025-12-08T15:30:00+07:00",
            "minute",
            "Thứ Hai, 08/12/2025 15:30 (GMT+7)",
            THOI_SU_LS,
            via=("home2",),
        ),
        Article(
            "/lang-son-so-hoa-thu-tuc-hai-quan-5082230.html",
            "Lạng Sơn số hóa thủ tục hải quan",
            "LSO - 100% tờ khai hải quan tại các cửa khẩu được xử lý trên hệ thống điện tử.",
            (
                "Doanh nghiệp có thể theo dõi trạng thái tờ khai và phương tiện qua ứng dụng di "
                "động.",
                "Tỉnh phối hợp với phía bạn thí điểm trao đổi dữ liệu phương tiện trước khi xe đến "
                "cửa khẩu.",
            ),
            ("Minh Tuấn",),
            "2025-12-14T08:30:00+07:00",
            "minute",
            "Chủ Nhật, 14/12/2025 08:30 (GMT+7)",
            KINH_TE_LS,
            via=("sitemap:/sitemaps/news-2025-12.xml",),
        ),
        Article(
            "/huu-lung-mo-rong-vung-trong-na-5081502.html",
            "Hữu Lũng mở rộng vùng trồng na",
            "LSO - Diện tích na của huyện đạt 1.900 ha, trong đó 300 ha được cấp mã số vùng trồng.",
            (
                "Na Hữu Lũng đã xuất khẩu sang một số thị trường châu Á và được bán trên các sàn "
                "thương mại điện tử.",
                "Huyện khuyến khích nông dân áp dụng quy trình VietGAP để nâng giá trị sản phẩm.",
            ),
            ("Hoàng Minh",),
            "2025-11-28T09:00:00+07:00",
            "minute",
            "Thứ Sáu, 28/11/2025 09:00 (GMT+7)",
            KINH_TE_LS,
            via=("sitemap:/sitemaps/news-2025-11.xml",),
        ),
    ],
    pages=[
        Page("/thoi-su-11.html", "category", "Thời sự"),
        Page("/kinh-te-12.html", "category", "Kinh tế"),
        Page("/tags/cua-khau-huu-nghi-2231.html", "tag", "Cửa khẩu Hữu Nghị"),
        Page("/cua-khau-ptag.html", "tag", "cửa khẩu"),
        Page("/tu-khoa/lang-son-tag123.html", "tag", "Lạng Sơn"),
        Page(
            "/su-kien/dai-hoi-dang-bo-tinh-lang-son-lan-thu-xviii-56.html",
            "event",
            "Đại hội Đảng bộ tỉnh Lạng Sơn lần thứ XVIII",
        ),
        Page("/tim-kiem.html?q=cua-khau", "search", "Tìm kiếm: cửa khẩu"),
    ],
)

# -- a generic (unverified) paper: baotuyenquang.com.vn ------------------------------------------
# The research knows only the domain (and a guessed /rss/home.rss, absent here): discovery by
# homepage, robots.txt sitemaps and category menus; the generic parser on markup of its own.

THOI_SU_TQ = ("Thời sự", "/thoi-su/")
KINH_TE_TQ = ("Kinh tế", "/kinh-te/")
VAN_HOA_TQ = ("Văn hóa", "/van-hoa/")
EVENT_TQ = "/chuyen-de/dai-hoi-dang-bo-tinh-tuyen-quang-lan-thu-xviii/"

BAOTUYENQUANG = Site(
    host="baotuyenquang.com.vn",
    source_id="baotuyenquang",
    paper="Báo Tuyên Quang",
    family="generic",
    today=TODAY_SHORT,
    menu=(
        THOI_SU_TQ,
        KINH_TE_TQ,
        VAN_HOA_TQ,
        ("Chuyên đề", EVENT_TQ),
        ("Tìm kiếm", "/tim-kiem?q=che"),
    ),
    robots_sitemaps=("/sitemap.xml",),
    articles=[
        Article(
            "/thoi-su/tuyen-quang-hoan-thanh-sap-xep-bo-may-sau-hop-nhat-208811.html",
            "Tuyên Quang hoàn thành sắp xếp bộ máy sau hợp nhất",
            "(BTQ) - Các sở, ngành của tỉnh mới đã ổn định trụ sở, con dấu và tài khoản giao dịch.",
            (
                "Tỉnh bố trí xe đưa đón cán bộ từ Hà Giang về làm việc tại trung tâm hành chính "
                "mới.",
                "Bộ phận một cửa các cấp đã tiếp nhận hơn 120.000 hồ sơ kể từ ngày hợp nhất.",
            ),
            ("Thu Phương",),
            "2025-12-12T08:15:00+07:00",
            "minute",
            "Thứ Sáu, 12/12/2025 - 08:15",
            THOI_SU_TQ,
            (("sắp xếp bộ máy", "/tag/sap-xep-bo-may/"),),
            via=("home", "cat:/thoi-su/"),
        ),
        Article(
            "/kinh-te/che-shan-tuyet-vao-vu-thu-hoach-cuoi-nam-208798.html",
            "Chè Shan tuyết vào vụ thu hoạch cuối năm",
            "(BTQ) - Giá chè búp tươi tăng 15%, người trồng chè vùng cao có thu nhập khá.",
            (
                "Các hợp tác xã chế biến chè Shan tuyết đạt chuẩn OCOP đều kín đơn hàng đến Tết.",
                "Tỉnh hỗ trợ xây dựng thương hiệu và truy xuất nguồn gốc cho các vùng chè cổ thụ.",
            ),
            ("Hoàng Anh",),
            "2025-12-11T06:32:00+07:00",
            "minute",
            "Ngày 11/12/2025 06:32 GMT+7",
            KINH_TE_TQ,
            (("chè Shan tuyết", "/tag/che-shan-tuyet/"),),
            via=("home", "cat:/kinh-te/"),
            style="date-after-sapo",
        ),
        Article(
            "/van-hoa/le-hoi-thanh-tuyen-duoc-cong-nhan-di-san-208785.html",
            "Lễ hội Thành Tuyên được ghi danh di sản văn hóa phi vật thể",
            "(BTQ) - Lễ hội rước đèn Trung thu Thành Tuyên là di sản văn hóa phi vật thể quốc "
            "gia thứ năm của tỉnh.",
            (
                "Mỗi năm lễ hội thu hút hàng trăm nghìn lượt khách với các mô hình đèn khổng lồ.",
                "Tỉnh sẽ xây dựng đề án bảo tồn nghề làm đèn và đào tạo nghệ nhân trẻ.",
            ),
            ("Bích Ngọc",),
            "2025-12-10T10:20:00+07:00",
            "minute",
            "10:20 | 10/12/2025",
            VAN_HOA_TQ,
            via=("home", "cat:/van-hoa/"),
        ),
        Article(
            "/van-hoa/nghe-det-tho-cam-cua-nguoi-dao-do-o-na-hang-208770.html",
            "Nghề dệt thổ cẩm của người Dao đỏ ở Na Hang",
            "(BTQ) - Hợp tác xã thổ cẩm bản Nặm Đíp có 35 thành viên, sản phẩm bán cho du khách "
            "và xuất đi Hà Nội.",
            (
                "Các bà, các mẹ dạy con gái thêu hoa văn từ khi lên mười theo lối truyền thống.",
                "Du khách có thể tự tay nhuộm chàm và dệt thử một đoạn vải tại nhà văn hóa bản.",
            ),
            ("Thanh Hà",),
            "2025-12-09T07:05:00+07:00",
            "minute",
            "Đăng lúc 07:05 ngày 09/12/2025",
            VAN_HOA_TQ,
            via=("home", "cat:/van-hoa/"),
            byline="Bài, ảnh: Thanh Hà",
        ),
        Article(
            "/thoi-su/hoi-dong-nhan-dan-tinh-khai-mac-ky-hop-thu-tu-208762.html",
            "Hội đồng nhân dân tỉnh khai mạc kỳ họp thứ tư",
            "(BTQ) - Kỳ họp xem xét 32 nghị quyết về kinh tế, xã hội và đầu tư công năm 2026.",
            (
                "Đại biểu tập trung thảo luận chính sách hỗ trợ đầu tư hạ tầng các xã vùng cao.",
                "Kỳ họp dành một buổi chất vấn về công tác giải phóng mặt bằng các dự án giao "
                "thông.",
            ),
            ("Thu Phương",),
            "2025-12-08T15:30:00+07:00",
            "minute",
            "Đăng: 08/12/2025 15:30 | Cập nhật: 09/12/2025 16:00",
            THOI_SU_TQ,
            via=("cat:/thoi-su/",),
        ),
        Article(
            "/thoi-su/ra-mat-trung-tam-phuc-vu-hanh-chinh-cong-208750.html",
            "Ra mắt Trung tâm Phục vụ hành chính công tỉnh",
            "(BTQ) - Trung tâm tiếp nhận 1.800 thủ tục hành chính, trong đó 80% được giải quyết "
            "trực tuyến toàn trình.",
            (
                "Người dân có thể đặt lịch và theo dõi tiến độ hồ sơ qua cổng dịch vụ công.",
                "Tỉnh bố trí cán bộ hướng dẫn người cao tuổi nộp hồ sơ trên máy tính tại chỗ.",
            ),
            ("Minh Hải",),
            "2025-12-07T20:45:00+07:00",
            "minute",
            "Chủ Nhật, 07/12/2025 - 20:45",
            THOI_SU_TQ,
            via=("cat:/thoi-su/",),
        ),
        Article(
            "/kinh-te/xuat-khau-go-rung-trong-dat-ky-luc-6-thang-dau-nam-208601.html",
            "Xuất khẩu gỗ rừng trồng đạt kỷ lục 6 tháng đầu năm",
            "(BTQ) - Kim ngạch xuất khẩu gỗ và sản phẩm gỗ của tỉnh đạt 95 triệu USD.",
            (
                "Các doanh nghiệp chế biến gỗ tuyển thêm gần 1.000 lao động cho đơn hàng cuối năm.",
                "Diện tích rừng trồng được cấp chứng chỉ FSC đã vượt 30.000 ha.",
            ),
            ("Hoàng Anh",),
            "2025-06-27T09:00:00+07:00",
            "minute",
            "Thứ Sáu, 27/06/2025 - 09:00",
            KINH_TE_TQ,
            via=("cat:/kinh-te/",),
            province_at_publication="Tuyên Quang",
        ),
        Article(
            "/kinh-te/nong-dan-ham-yen-trung-mua-cam-sanh-208588.html",
            "Nông dân Hàm Yên trúng mùa cam sành",
            "(BTQ) - Sản lượng cam sành năm nay ước đạt 70.000 tấn, giá bán ổn định.",
            (
                "Thương lái từ các tỉnh phía Nam lên thu mua tận vườn ngay từ đầu vụ.",
                "Huyện khuyến cáo nông dân không thu hoạch non để giữ uy tín thương hiệu.",
            ),
            ("Giang Lam",),
            "2025-06-15T10:00:00+07:00",
            "minute",
            "Chủ Nhật, 15/6/2025 10:00",
            KINH_TE_TQ,
            via=("cat2:/kinh-te/",),
        ),
        Article(
            "/van-hoa/khoi-phuc-hat-then-dan-tinh-o-lam-binh-208744.html",
            "Khôi phục hát then, đàn tính ở Lâm Bình",
            "(BTQ) - Câu lạc bộ hát then của xã có 40 thành viên, sinh hoạt mỗi tối thứ Bảy.",
            (
                "Nghệ nhân ưu tú trong xã trực tiếp truyền dạy cho thanh thiếu niên.",
                "Các tiết mục hát then được biểu diễn phục vụ du khách tại khu du lịch Na Hang - "
                "Lâm Bình.",
            ),
            ("Bích Ngọc",),
            "2025-12-04T00:00:00+07:00",
            "day",
            "Thứ Năm, 04/12/2025",
            VAN_HOA_TQ,
            via=("sitemap:/sitemap.xml",),
        ),
        Article(
            "/kinh-te/khoi-cong-cao-toc-tuyen-quang-ha-giang-giai-doan-hai-208731.html",
            "Khởi công cao tốc Tuyên Quang - Hà Giang giai đoạn hai",
            "(BTQ) - Giai đoạn hai dài 105 km, tổng mức đầu tư hơn 18.000 tỷ đồng.",
            (
                "Tuyến cao tốc hoàn thành sẽ rút ngắn thời gian đi từ Hà Nội lên cao nguyên đá "
                "Đồng Văn.",
                "Chủ đầu tư huy động 25 mũi thi công, phấn đấu thông tuyến vào năm 2028.",
            ),
            ("Minh Hải",),
            "2025-12-03T14:20:00+07:00",
            "second",  # article:published_time states the seconds
            "14:20 03/12/2025",
            KINH_TE_TQ,
            via=("sitemap:/sitemap.xml",),
            style="published-meta",
        ),
        Article(
            "/van-hoa/trien-lam-anh-di-san-tuyen-quang-tai-ha-noi-208722.html",
            "Triển lãm ảnh di sản Tuyên Quang tại Hà Nội",
            "(BTQ) - Hơn 120 bức ảnh về di tích, lễ hội và danh thắng của tỉnh được giới thiệu "
            "đến công chúng Thủ đô.",
            (
                "Triển lãm mở cửa miễn phí đến hết ngày 20 tháng 12 tại Trung tâm Triển lãm văn "
                "hóa nghệ thuật.",
                "Nhiều tác phẩm ghi lại vẻ đẹp của hồ Na Hang và "
                "các bản làng người Dao, người Tày.",
            ),
            ("Thanh Hà",),
            "2025-12-02T11:11:00+07:00",
            "minute",
            "Thứ Ba, 02/12/2025 - 11:11",
            VAN_HOA_TQ,
            via=("cat:/van-hoa/",),
            nfd=True,
        ),
    ],
    pages=[
        Page(
            EVENT_TQ,
            "event",
            "Đại hội Đảng bộ tỉnh Tuyên Quang lần thứ XVIII",
            (
                "/thoi-su/tuyen-quang-hoan-thanh-sap-xep-bo-may-sau-hop-nhat-208811.html",
                "/thoi-su/hoi-dong-nhan-dan-tinh-khai-mac-ky-hop-thu-tu-208762.html",
                "/thoi-su/ra-mat-trung-tam-phuc-vu-hanh-chinh-cong-208750.html",
                "/kinh-te/khoi-cong-cao-toc-tuyen-quang-ha-giang-giai-doan-hai-208731.html",
                "/kinh-te/che-shan-tuyet-vao-vu-thu-hoach-cuoi-nam-208798.html",
                "/van-hoa/le-hoi-thanh-tuyen-duoc-cong-nhan-di-san-208785.html",
            ),
        ),
        # A small topic page: three teasers, no date line, no prose (its slug looks like an
        # article's to the generic pattern, so it is fetched and must be recognised).
        Page(
            "/chuyen-de/ky-niem-80-nam-cach-mang-thang-tam/",
            "event",
            "Kỷ niệm 80 năm Cách mạng Tháng Tám",
            (
                "/thoi-su/tuyen-quang-hoan-thanh-sap-xep-bo-may-sau-hop-nhat-208811.html",
                "/van-hoa/le-hoi-thanh-tuyen-duoc-cong-nhan-di-san-208785.html",
                "/van-hoa/khoi-phuc-hat-then-dan-tinh-o-lam-binh-208744.html",
            ),
        ),
        Page("/tag/che-shan-tuyet/", "tag", "chè Shan tuyết"),
        Page("/tag/sap-xep-bo-may/", "tag", "sắp xếp bộ máy"),
        Page("/thoi-su/", "category", "Thời sự"),
        Page("/kinh-te/", "category", "Kinh tế"),
        Page("/van-hoa/", "category", "Văn hóa"),
        Page("/tim-kiem?q=che", "search", "Tìm kiếm: chè"),
    ],
)

# -- an absorbed paper: baobinhthuan.com.vn (numeric, absorbed into baolamdong) -----------------
# /<slug>-<6 digits>.html [app]; listing /tin-tuc-binh-thuan-moi-nhat [app]; tags
# /<slug>-ptag.html [pub]. Its articles around the merger of 1 July 2025 (00:00 +07:00) are the
# province cases; two old URLs answer 301 with the same article on baolamdong.vn.

KINH_TE_BT = ("Kinh tế", "/kinh-te")
XA_HOI_BT = ("Xã hội", "/xa-hoi")
LAMDONG_R1 = "https://baolamdong.vn/phan-thiet-don-tau-du-lich-quoc-te-dau-mua-381204.html"
LAMDONG_R2 = "https://baolamdong.vn/tuy-phong-khoi-cong-nha-may-dien-gio-ngoai-khoi-381260.html"

BAOBINHTHUAN = Site(
    host="baobinhthuan.com.vn",
    source_id="baobinhthuan",
    paper="Báo Bình Thuận",
    family="numeric",
    today=TODAY_SHORT,
    listing="/tin-tuc-binh-thuan-moi-nhat",
    menu=(
        ("Tin mới", "/tin-tuc-binh-thuan-moi-nhat"),
        KINH_TE_BT,
        XA_HOI_BT,
        ("Tìm kiếm", "/tim-kiem.html?q=thanh-long"),
    ),
    redirects=[
        Redirect(
            "/phan-thiet-don-tau-du-lich-quoc-te-dau-mua-124470.html",
            LAMDONG_R1,
            via=("home", "feed:/rss/home.rss"),
        ),
        Redirect(
            "/tuy-phong-khoi-cong-nha-may-dien-gio-ngoai-khoi-124482.html",
            LAMDONG_R2,
            via=("home",),
        ),
    ],
    articles=[
        Article(
            "/ham-thuan-nam-thu-hoach-thanh-long-trai-vu-124431.html",
            "Hàm Thuận Nam thu hoạch thanh long trái vụ",
            "BTO - Giá thanh long ruột đỏ trái vụ đạt 25.000 đồng mỗi kilôgam, nông dân có lãi "
            "khá.",
            (
                "Toàn huyện có gần 9.000 ha thanh long, trong đó hơn một nửa được chong đèn cho ra "
                "trái vụ.",
                "Các doanh nghiệp thu mua để xuất khẩu sang Trung Quốc và Ấn Độ.",
            ),
            ("Kim Anh",),
            "2025-06-20T09:15:00+07:00",
            "minute",
            "Thứ Sáu, 20/06/2025 09:15",
            KINH_TE_BT,
            (("thanh long", "/thanh-long-ptag.html"),),
            via=("home", "feed:/rss/home.rss"),
            province_at_publication="Bình Thuận",
        ),
        Article(
            "/binh-thuan-ban-giao-ho-so-truoc-ngay-hop-nhat-124447.html",
            "Bình Thuận bàn giao hồ sơ trước ngày hợp nhất",
            "BTO - Các sở, ngành hoàn tất bàn giao hồ sơ, tài sản trong đêm cuối cùng trước khi "
            "tỉnh mới ra đời.",
            (
                "Lãnh đạo tỉnh đề nghị cán bộ giữ thông suốt việc "
                "giải quyết thủ tục cho người dân, "
                "không để gián đoạn.",
                "Trụ sở các cơ quan tại Phan Thiết tiếp tục làm việc với tư cách cơ sở của tỉnh "
                "mới.",
            ),
            ("Ngọc Lân",),
            "2025-06-30T23:50:00+07:00",
            "minute",
            "Thứ Hai, 30/06/2025 23:50",
            XA_HOI_BT,
            via=("home", "feed:/rss/home.rss"),
            province_at_publication="Bình Thuận",
        ),
        Article(
            "/phan-thiet-don-ngay-dau-tien-cua-tinh-moi-124452.html",
            "Phan Thiết đón ngày đầu tiên của tỉnh mới",
            "BTO - Ngay sau thời khắc 0 giờ ngày 1/7, các phường ở Phan Thiết treo cờ, băng rôn "
            "chào mừng tỉnh Lâm Đồng mới.",
            (
                "Bộ phận một cửa các phường mở cửa từ sáng sớm để tiếp nhận hồ sơ theo địa giới "
                "mới.",
                "Người dân được hướng dẫn cập nhật địa chỉ trên căn cước qua ứng dụng định danh "
                "điện tử.",
            ),
            ("Ngọc Lân",),
            "2025-07-01T00:30:00+07:00",
            "minute",
            "Thứ Ba, 01/07/2025 00:30",
            XA_HOI_BT,
            via=("home", "feed:/rss/home.rss"),
            province_at_publication="Lâm Đồng",
        ),
        Article(
            "/cac-xa-phuong-moi-cua-binh-thuan-cu-di-vao-hoat-dong-124455.html",
            "Các xã, phường mới ở vùng Bình Thuận cũ đi vào hoạt động",
            "BTO - 124 xã, phường, đặc khu của vùng Bình Thuận cũ chính thức hoạt động theo mô "
            "hình chính quyền hai cấp.",
            (
                "Trong ngày đầu, các địa phương tiếp nhận hơn 3.000 hồ sơ, phần lớn về hộ tịch và "
                "đất đai.",
                "Lãnh đạo tỉnh Lâm Đồng kiểm tra hoạt động tại một số trung tâm hành chính công.",
            ),
            ("Kim Anh",),
            "2025-07-01T00:00:00+07:00",
            "day",
            "Thứ Ba, 01/07/2025",
            XA_HOI_BT,
            via=("home",),
            province_at_publication="Lâm Đồng",
        ),
        Article(
            "/mui-ne-don-khach-he-tang-manh-124418.html",
            "Mũi Né đón khách hè tăng mạnh",
            "BTO - Công suất phòng các khu nghỉ dưỡng ven biển đạt 85% trong tháng 6.",
            (
                "Khách quốc tế đến từ Nga, Hàn Quốc và Trung Quốc chiếm tỉ lệ lớn.",
                "Các cơ sở lưu trú được yêu cầu niêm yết giá và không ép khách dịch vụ.",
            ),
            ("Đình Châu",),
            "2025-06-12T14:00:00+07:00",
            "minute",
            "Thứ Năm, 12/06/2025 14:00",
            KINH_TE_BT,
            via=("home",),
        ),
        Article(
            "/ngu-dan-phan-thiet-trung-dam-ca-com-124402.html",
            "Ngư dân Phan Thiết trúng đậm cá cơm",
            "BTO - Mỗi tàu thu về từ 2 đến 3 tấn cá cơm sau mỗi chuyến biển ngắn ngày.",
            (
                "Cá cơm được các cơ sở chế biến nước mắm thu mua ngay tại cảng cá.",
                "Ngư dân được nhắc lắp đặt và duy trì thiết bị giám sát hành trình khi ra khơi.",
            ),
            ("Đình Châu",),
            "2025-06-05T08:30:00+07:00",
            "minute",
            "Thứ Năm, 05/06/2025 08:30",
            KINH_TE_BT,
            via=("home",),
        ),
        Article(
            "/la-gi-nang-cap-cang-ca-124381.html",
            "La Gi nâng cấp cảng cá",
            "BTO - Dự án nạo vét luồng lạch và mở rộng cầu cảng có tổng vốn 160 tỷ đồng.",
            (
                "Sau khi nâng cấp, cảng có thể đón tàu công suất lớn vào neo đậu tránh trú bão.",
                "Thị xã đang hoàn tất giải phóng mặt bằng cho hạng mục khu hậu cần nghề cá.",
            ),
            ("Ngọc Lân",),
            "2025-05-28T10:00:00+07:00",
            "minute",
            "Thứ Tư, 28/05/2025 10:00",
            KINH_TE_BT,
            via=("home2",),
        ),
        Article(
            "/tuy-phong-chong-han-cho-vu-he-thu-124366.html",
            "Tuy Phong chống hạn cho vụ hè thu",
            "BTO - Huyện điều tiết nước từ hồ Lòng Sông để tưới cho hơn 2.000 ha lúa và cây màu.",
            (
                "Các hợp tác xã nạo vét kênh mương, lắp thêm trạm bơm dã chiến tại vùng cuối "
                "nguồn.",
                "Nông dân được khuyến cáo chuyển sang cây trồng cạn ở những diện tích thiếu nước.",
            ),
            ("Kim Anh",),
            "2025-05-20T16:45:00+07:00",
            "minute",
            "Thứ Ba, 20/05/2025 16:45",
            XA_HOI_BT,
            via=("home2",),
        ),
        Article(
            "/bac-binh-ra-mat-hop-tac-xa-nho-xanh-124440.html",
            "Bắc Bình ra mắt hợp tác xã nho xanh",
            "BTO - Hợp tác xã có 25 thành viên với 40 ha nho xanh, liên kết tiêu thụ với các siêu "
            "thị.",
            (
                "Sản phẩm nho và rượu nho của hợp tác xã đang làm hồ sơ đánh giá OCOP.",
                "Huyện hỗ trợ hệ thống tưới nhỏ giọt tiết kiệm nước cho các vườn nho.",
            ),
            ("Đình Châu",),
            "2025-06-25T07:30:00+07:00",
            "minute",
            "Thứ Tư, 25/06/2025 07:30",
            KINH_TE_BT,
            via=("feed:/rss/home.rss",),
            province_at_publication="Bình Thuận",
        ),
    ],
    pages=[
        Page("/thanh-long-ptag.html", "tag", "thanh long"),
        Page("/phan-thiet-ptag.html", "tag", "Phan Thiết"),
        Page("/kinh-te", "category", "Kinh tế"),
        Page("/xa-hoi", "category", "Xã hội"),
        Page("/tim-kiem.html?q=thanh-long", "search", "Tìm kiếm: thanh long"),
    ],
)

# -- baolamdong.vn: the paper baobinhthuan was absorbed into (numeric since 2025) ----------------
# /<slug>-<numeric>.html [app]; feeds /rss/thoi-su and /rss/doi-song without an extension [app].

THOI_SU_LD = ("Thời sự", "/thoi-su")
DOI_SONG_LD = ("Đời sống", "/doi-song")

BAOLAMDONG = Site(
    host="baolamdong.vn",
    source_id="baolamdong",
    paper="Báo Lâm Đồng",
    family="numeric",
    today=TODAY_SHORT,
    menu=(THOI_SU_LD, DOI_SONG_LD, ("Tìm kiếm", "/tim-kiem.html?q=ocop")),
    articles=[
        Article(
            "/lam-dong-cong-nhan-them-28-san-pham-ocop-381590.html",
            "Lâm Đồng công nhận thêm 28 sản phẩm OCOP",
            "(LĐ online) - Các sản phẩm mới được công nhận đến từ cả ba vùng Lâm Đồng, Bình Thuận "
            "và Đắk Nông cũ.",
            (
                "Cà phê, sầu riêng sấy, nước mắm và hạt điều là những nhóm sản phẩm chiếm số lượng "
                "lớn.",
                "Tỉnh hỗ trợ các chủ thể OCOP tham gia hội chợ xúc tiến thương mại dịp Tết.",
            ),
            ("Minh Đạo",),
            "2025-12-13T06:00:00+07:00",
            "minute",
            "13/12/2025 06:00",
            THOI_SU_LD,
            (("OCOP", "/ocop-ptag.html"),),
            via=("home", "feed:/rss/thoi-su"),
        ),
        Article(
            "/da-lat-trien-khai-le-hoi-hoa-lan-thu-11-381577.html",
            "Đà Lạt triển khai Festival Hoa lần thứ 11",
            "(LĐ online) - Festival diễn ra trong 10 ngày với 60 hoạt động văn hóa, du lịch.",
            (
                "Nhiều tuyến đường trung tâm được trang trí hoa và tiểu cảnh từ đầu tháng 12.",
                "Thành phố huy động lực lượng đảm bảo an ninh, trật tự và vệ sinh môi trường.",
            ),
            ("Nguyễn Nghĩa",),
            "2025-12-12T14:30:00+07:00",
            "minute",
            "12/12/2025 14:30",
            THOI_SU_LD,
            via=("home", "feed:/rss/thoi-su"),
        ),
        Article(
            "/gia-nghia-mo-rong-khong-gian-di-bo-ho-trung-tam-381560.html",
            "Gia Nghĩa mở rộng không gian đi bộ quanh hồ trung tâm",
            "(LĐ online) - Tuyến đi bộ dài 2,5 km quanh hồ được lắp đèn chiếu sáng và ghế nghỉ.",
            (
                "Người dân tập thể dục buổi sáng và buổi tối tăng nhanh kể từ khi tuyến đi bộ mở "
                "cửa.",
                "Phường kêu gọi các hộ kinh doanh giữ vệ sinh quanh khu vực hồ.",
            ),
            ("Hồng Thắm",),
            "2025-12-11T09:00:00+07:00",
            "minute",
            "11/12/2025 09:00",
            DOI_SONG_LD,
            via=("home", "feed:/rss/doi-song"),
        ),
        Article(
            "/bao-loc-hoi-thi-pha-che-tra-o-long-381548.html",
            "Bảo Lộc hội thi pha chế trà ô long",
            "(LĐ online) - 40 thí sinh đến từ các hợp tác xã và quán trà tham gia hội thi.",
            (
                "Ban tổ chức chấm điểm hương vị, màu nước và cách trình bày của từng ấm trà.",
                "Hội thi nằm trong chuỗi hoạt động quảng bá thương hiệu trà Bảo Lộc.",
            ),
            ("Thanh Thắng",),
            "2025-12-10T16:20:00+07:00",
            "minute",
            "10/12/2025 16:20",
            DOI_SONG_LD,
            via=("home", "feed:/rss/doi-song"),
        ),
        Article(
            "/nong-dan-di-linh-thu-hoach-ca-phe-381533.html",
            "Nông dân Di Linh thu hoạch cà phê",
            "(LĐ online) - Giá cà phê nhân xô ở mức cao giúp người trồng phấn khởi vào vụ.",
            (
                "Nhiều hộ thuê thêm lao động từ các tỉnh miền Trung để kịp thu hái.",
                "Huyện khuyến cáo nông dân hái chín để nâng chất lượng cà phê nhân.",
            ),
            ("Minh Đạo",),
            "2025-12-09T07:45:00+07:00",
            "minute",
            "09/12/2025 07:45",
            THOI_SU_LD,
            via=("home",),
        ),
        Article(
            "/lam-ha-tang-cuong-phong-chay-rung-mua-kho-381519.html",
            "Lâm Hà tăng cường phòng cháy rừng mùa khô",
            "(LĐ online) - Các lực lượng trực 24/24 giờ tại các điểm có nguy cơ cháy cao.",
            (
                "Chủ rừng phát dọn thực bì và làm đường băng cản lửa trước cao điểm nắng nóng.",
                "Huyện tuyên truyền người dân không đốt nương rẫy gần rừng.",
            ),
            ("Nguyễn Nghĩa",),
            "2025-12-08T10:10:00+07:00",
            "minute",
            "08/12/2025 10:10",
            THOI_SU_LD,
            via=("home2",),
        ),
        Article(
            LAMDONG_R1.removeprefix("https://baolamdong.vn"),
            "Phan Thiết đón tàu du lịch quốc tế đầu mùa",
            "(LĐ online) - Tàu chở hơn 1.500 du khách cập cảng, mở đầu mùa du lịch tàu biển ở vùng "
            "Bình Thuận cũ.",
            (
                "Du khách tham quan tháp Chăm Pô Sah Inư, đồi cát Mũi Né và làng chài.",
                "Ngành du lịch tỉnh phối hợp với các hãng lữ hành "
                "xây dựng tour ngắn ngày cho khách "
                "tàu biển.",
            ),
            ("Kim Anh",),
            "2025-08-15T08:00:00+07:00",
            "minute",
            "15/08/2025 08:00",
            THOI_SU_LD,
            via=("feed:/rss/thoi-su",),
            province_at_publication="Lâm Đồng",
        ),
        Article(
            LAMDONG_R2.removeprefix("https://baolamdong.vn"),
            "Tuy Phong khởi công nhà máy điện gió ngoài khơi",
            "(LĐ online) - Dự án công suất 500 MW, là dự án điện gió ngoài khơi đầu tiên của tỉnh.",
            (
                "Nhà đầu tư cam kết sử dụng cảng Vĩnh Tân làm cảng "
                "hậu cần trong giai đoạn thi công.",
                "Dự án dự kiến phát điện thương mại vào năm 2029.",
            ),
            ("Ngọc Lân",),
            "2025-09-02T10:00:00+07:00",
            "minute",
            "02/09/2025 10:00",
            THOI_SU_LD,
            via=("redirect",),
            province_at_publication="Lâm Đồng",
        ),
    ],
    pages=[
        Page("/ocop-ptag.html", "tag", "OCOP"),
        Page("/thoi-su", "category", "Thời sự"),
        Page("/doi-song", "category", "Đời sống"),
        Page("/tim-kiem.html?q=ocop", "search", "Tìm kiếm: OCOP"),
    ],
)

SITES: list[Site] = [BAONGHEAN, BAOTHANHHOA, BAOLANGSON, BAOTUYENQUANG, BAOBINHTHUAN, BAOLAMDONG]
