"""Word pools for fictional place and agency names, and the kinds of department a government has.

Place names are two characters drawn from pools that avoid 年 and digits, so a report title
never carries a second year or number next to the agency's name.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACE_FIRST = (
    "东", "西", "南", "北", "清", "青", "临", "长", "安", "永", "平", "新", "宁", "福", "兴", "华",
    "嘉", "海", "江", "河", "湖", "山", "云", "石", "金", "银", "玉", "丰", "泰", "和", "庆", "瑞",
    "隆", "昌", "武", "文", "德", "仁", "义", "礼", "信", "崇", "宜", "广", "怀", "淳", "灵",
    "龙", "凤", "鹤", "桃", "柳", "松", "梅", "兰", "竹", "沙", "湘", "汉", "洛", "泉", "溪", "岭",
)
PLACE_SECOND = (
    "阳", "江", "川", "源", "州", "山", "城", "宁", "安", "平", "丰", "泉", "溪", "湖", "口", "桥",
    "林", "岗", "坪", "田", "塘", "湾", "浦", "渡", "峰", "岩", "谷", "原", "坝", "洲", "台", "化",
    "乐", "兴", "昌", "德", "武", "远", "定", "康", "明", "清", "水", "河", "海", "门", "关", "滨",
)
PROVINCE_NAMES = ("云江", "东岭", "南川", "西原", "华阳", "清河")

#: What follows a place name: the province's and a city's unit, and a government's own name.
PROVINCE_UNIT = "省"
CITY_UNIT = "市"
GOVERNMENT = "人民政府"

#: County-level units: the word after the place name and its share.
COUNTY_KINDS = (("县", 0.55), ("区", 0.3), ("市", 0.15))
#: Township-level units: the ending of the agency name and its share.
TOWNSHIP_KINDS = (("镇人民政府", 0.5), ("乡人民政府", 0.2), ("街道办事处", 0.3))
#: Township reforms: 撤乡设镇 and 撤镇设街道, as the ending before → the ending after.
TOWNSHIP_RENAMES = {"乡人民政府": "镇人民政府", "镇人民政府": "街道办事处"}


@dataclass(frozen=True)
class DepartmentKind:
    """A kind of department: its name below a province, below a city or county, and its workload."""

    key: str
    province_name: str
    local_name: str
    #: relative weights of requests, licensing, penalties, coercion, fees
    requests: float
    licensing: float
    penalty: float
    coercion: float
    fees: float


DEPARTMENTS = (
    DepartmentKind("office", "人民政府办公厅", "人民政府办公室", 1.5, 0.0, 0.0, 0.0, 0.0),
    DepartmentKind("ndrc", "发展和改革委员会", "发展和改革局", 0.8, 0.6, 0.2, 0.0, 0.3),
    DepartmentKind("edu", "教育厅", "教育局", 0.9, 0.4, 0.1, 0.0, 0.5),
    DepartmentKind("sci", "科学技术厅", "科学技术局", 0.3, 0.1, 0.0, 0.0, 0.0),
    DepartmentKind("police", "公安厅", "公安局", 1.4, 2.5, 3.0, 2.0, 1.0),
    DepartmentKind("civil", "民政厅", "民政局", 0.6, 0.5, 0.1, 0.0, 0.1),
    DepartmentKind("justice", "司法厅", "司法局", 0.5, 0.3, 0.1, 0.0, 0.0),
    DepartmentKind("finance", "财政厅", "财政局", 0.7, 0.1, 0.2, 0.0, 0.2),
    DepartmentKind("hrss", "人力资源和社会保障厅", "人力资源和社会保障局", 1.0, 0.6, 0.3, 0.1, 0.2),
    DepartmentKind("land", "自然资源厅", "自然资源和规划局", 2.5, 1.0, 0.8, 0.5, 1.0),
    DepartmentKind("eco", "生态环境厅", "生态环境局", 1.0, 0.4, 1.2, 0.6, 0.3),
    DepartmentKind("housing", "住房和城乡建设厅", "住房和城乡建设局", 2.0, 1.2, 0.8, 0.3, 0.6),
    DepartmentKind("transport", "交通运输厅", "交通运输局", 0.8, 1.5, 2.0, 0.8, 0.8),
    DepartmentKind("water", "水利厅", "水利局", 0.4, 0.4, 0.3, 0.1, 0.5),
    DepartmentKind("agri", "农业农村厅", "农业农村局", 0.6, 0.8, 0.6, 0.2, 0.2),
    DepartmentKind("commerce", "商务厅", "商务局", 0.3, 0.3, 0.1, 0.0, 0.0),
    DepartmentKind("culture", "文化和旅游厅", "文化和旅游局", 0.3, 0.5, 0.4, 0.1, 0.1),
    DepartmentKind("health", "卫生健康委员会", "卫生健康局", 0.8, 1.0, 0.8, 0.2, 0.4),
    DepartmentKind("emergency", "应急管理厅", "应急管理局", 0.4, 0.5, 0.6, 0.2, 0.0),
    DepartmentKind("audit", "审计厅", "审计局", 0.2, 0.0, 0.0, 0.0, 0.0),
    DepartmentKind("market", "市场监督管理局", "市场监督管理局", 1.2, 3.0, 2.5, 1.0, 0.5),
    DepartmentKind("stats", "统计局", "统计局", 0.2, 0.0, 0.1, 0.0, 0.0),
    DepartmentKind("medical", "医疗保障局", "医疗保障局", 0.4, 0.2, 0.3, 0.0, 0.0),
    DepartmentKind("urban", "住房城乡综合执法局", "综合行政执法局", 0.6, 0.6, 2.0, 1.5, 0.2),
    DepartmentKind("approval", "政务服务管理局", "行政审批服务局", 0.5, 4.0, 0.0, 0.0, 0.3),
    DepartmentKind("veterans", "退役军人事务厅", "退役军人事务局", 0.2, 0.0, 0.0, 0.0, 0.0),
    DepartmentKind("forestry", "林业局", "林业局", 0.3, 0.6, 0.5, 0.1, 0.1),
    DepartmentKind("tax", "地方金融监督管理局", "金融工作服务中心", 0.2, 0.1, 0.1, 0.0, 0.0),
)

#: Renames seen in the public record: (department key, name before, name after, year of change).
DEPARTMENT_RENAMES = (
    ("culture", "文化广电新闻出版局", "文化和旅游局", 2020),
    ("approval", "行政审批服务局", "数据和政务服务局", 2023),
    ("land", "国土资源局", "自然资源和规划局", 2020),
    ("medical", "医疗保障办公室", "医疗保障局", 2021),
)
#: Department merges: (absorbed key, absorbing key, year from which only the absorbing reports).
DEPARTMENT_MERGES = (
    ("stats", "ndrc", 2022),
    ("forestry", "land", 2021),
)
