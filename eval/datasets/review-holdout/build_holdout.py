"""Build the held-out review tables in `holdout/` (run once; the files are committed).

Eight tables from other departments (water, education, health, agriculture, civil affairs,
culture, city management, market regulation), written and labeled after the rules were built and
never used to tune them: the honest out-of-sample check of the reviewer. Labels are in
holdout.labels.jsonl, written by reading these tables.

    .venv/bin/python eval/datasets/review-holdout/build_holdout.py
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.model import Indicator, Table
from jixiao.values import parse_value
from jixiao.writers import docx as docx_writer
from jixiao.writers import text as text_writer
from jixiao.writers import xlsx as xlsx_writer

OUT = Path(__file__).parent / "holdout"
C, E, S = "产出指标", "效益指标", "满意度指标"


def table(unit, project, budget, rows, fiscal=None, other=None, money_unit="元", goal=""):
    return Table(
        title=f"{project}绩效目标表",
        unit_code=unit[:6],
        unit_name=unit[6:],
        project=project,
        year=int(project[:4]),
        money_unit=money_unit,
        budget_total=Decimal(budget),
        budget_fiscal=Decimal(fiscal or budget),
        budget_other=Decimal(other) if other else None,
        purpose=goal,
        goals=[goal],
        indicators=[
            Indicator(level1=a, level2=b, name=n, description=d, value=parse_value(v))
            for a, b, n, d, v in rows
        ],
    )


H1 = table(
    "512001某县水务局",
    "2025年农村饮水安全工程维修养护经费",
    "800000",
    [
        (C, "数量指标", "维修养护供水工程处数", "全年完成维修养护的集中供水工程", "≥45处"),
        (C, "质量指标", "维修工程验收合格率", "验收合格处数/维修处数", "≥100%"),
        (C, "时效指标", "维修完成及时率", "报修后15日内完成维修的比例", "≥85%"),
        (C, "成本指标", "工程维修养护成本", "每处工程的维修养护费用", "≤1.8万元/处"),
        (E, "社会效益指标", "农村集中供水率", "集中供水人口/农村总人口", "持续提升"),
        (E, "可持续影响指标", "工程长效运行", "建立管护机制", "长期"),
        (S, "服务对象满意度指标", "受益群众满意度", "入户问卷调查", "≥90%"),
    ],
    goal="完成45处农村供水工程维修养护，保障农村饮水安全。",
)

H2 = table(
    "512002某县教育局",
    "2025年中小学教师培训经费",
    "1200000",
    [
        (C, "数量指标", "培训教师人次", "参加县级以上培训的教师人次", "≥3000人次"),
        (C, "质量指标", "培训合格率", "考核合格人次/参训人次", "≥95%"),
        (C, "时效指标", "培训完成时间", "年度培训计划全部完成", "2025年12月底前"),
        (C, "成本指标", "培训成本", "人均每次培训费用", "≤400元/人次"),
        (E, "社会效益指标", "教师教学能力提升", "课堂教学评价", "效果明显"),
        (S, "服务对象满意度指标", "参训教师满意度", "培训结束问卷", "≥85%"),
    ],
    fiscal="1000000",
    other="200000",
    goal="全年培训中小学教师3000人次。",
)

H3 = table(
    "512003某县卫生健康委员会",
    "2025年基层医疗卫生机构设备购置",
    "5000000",
    [
        (C, "数量指标", "购置DR设备5台", "为乡镇卫生院配备数字化X光机", "≥5台"),
        (C, "质量指标", "设备验收合格率", "验收合格台数/到货台数", "=100%"),
        (C, "时效指标", "设备采购完成时间", "设备安装调试完毕", "2025年9月30日前"),
        (C, "成本指标", "设备采购成本", "全部设备的采购合同金额", "≤520万元"),
        (E, "社会效益指标", "基层首诊率", "在乡镇卫生院首诊的人次占比", "≥60%"),
        (S, "服务对象满意度指标", "医护人员满意度", "卫生院医护人员问卷", "≥90%"),
    ],
    goal="为5个乡镇卫生院配备DR设备，提高基层诊疗能力。",
)

H4 = table(
    "512004某县农业农村局",
    "2025年高标准农田建设项目",
    "30000000",
    [
        (C, "数量指标", "新建高标准农田面积", "当年建成并验收的面积", "≥2万亩"),
        (C, "质量指标", "工程质量合格率", "验收合格的单项工程占比", "≥95%"),
        (C, "时效指标", "项目完工时间", "全部工程完工验收", "2025年11月30日前"),
        (C, "成本指标", "亩均建设成本", "建设投入/建设面积", "≤1500元/亩"),
        (E, "经济效益指标", "亩均粮食增产", "项目区与建设前三年平均产量之差", "≥50公斤"),
        (E, "可持续影响指标", "工程设施完好率", "完好的设施/建成的设施", "≥90%"),
        (S, "服务对象满意度指标", "项目区农户满意度", "抽样入户调查", "≥90%"),
    ],
    fiscal="28000000",
    other="1000000",
    money_unit="万元",
    goal="新建高标准农田2万亩。",
)

H5 = table(
    "512005某区民政局",
    "2025年城市社区养老服务补贴",
    "2000000",
    [
        (C, "数量指标", "享受补贴老人人数", "符合条件并领取补贴的老年人", "≥1000人"),
        (C, "数量指标", "助餐服务覆盖率", "开展助餐服务的社区占比", "≥80%"),
        (C, "质量指标", "补贴发放准确率", "发放无差错人数/发放人数", "≥98%"),
        (C, "时效指标", "补贴发放及时率", "按月足额发放的比例", "≥95%"),
        (C, "成本指标", "人均补贴标准", "每位老人的年度补贴", "≤2000元/人"),
        (E, "社会效益指标", "老年人生活质量", "老年人居家生活状况", "明显改善"),
        (S, "服务对象满意度指标", "满意度", "年末问卷", "≥90%"),
    ],
    goal="为1000名老人发放养老服务补贴。",
)

H6 = table(
    "512006某区文化和旅游局",
    "2025年文化惠民演出",
    "600000",
    [
        (C, "数量指标", "送戏下乡演出场次", "到村、社区的公益演出", "≥120场"),
        (C, "质量指标", "演出质量", "节目编排和演出效果", "优良"),
        (C, "时效指标", "演出完成时间", "全部场次演出结束", "2026年6月30日前"),
        (C, "成本指标", "单场演出成本", "每场演出的费用", "≤5000元/场"),
        (E, "社会效益指标", "群众文化生活丰富程度", "群众参与文化活动情况", "≥90%"),
        (S, "服务对象满意度指标", "观众满意度", "演出现场问卷", "≥85%"),
    ],
    goal="全年送戏下乡120场。",
)

H7 = table(
    "512007某区城市管理委员会",
    "2025年河道保洁服务",
    "2400000",
    [
        (C, "数量指标", "保洁河道长度", "纳入保洁范围的河道", "≥120公里"),
        (C, "质量指标", "河面漂浮物清理达标率", "检查达标次数/检查次数", "≥95%"),
        (C, "时效指标", "保洁作业频次", "每条河道的保洁频次", "每日1次"),
        (C, "成本指标", "保洁服务费", "购买保洁服务的月度费用", "≤22万元/月"),
        (E, "生态效益指标", "河道水质达标率", "达标断面/监测断面", "≥80%"),
        (E, "社会效益指标", "群众投诉率", "河道环境投诉件数/服务户数", "≥5%"),
        (S, "服务对象满意度指标", "沿河居民满意度", "年末问卷", "≥85%"),
    ],
    goal="保持120公里河道水面清洁。",
)

H8 = table(
    "512008某区市场监督管理局",
    "2025年食品安全抽检经费",
    "1500000",
    [
        (C, "数量指标", "食品抽检批次", "全年完成的抽检批次", "≥3000批次"),
        (C, "质量指标", "抽检任务完成率", "完成批次/计划批次", "100%"),
        (C, "时效指标", "检验报告出具时限", "抽样到出具报告的工作日", "≤10工作日"),
        (C, "成本指标", "抽检成本控制率", "实际支出/预算", "≥95%"),
        (E, "社会效益指标", "食品安全事件发生率", "辖区食品安全事件", "下降"),
    ],
    goal="完成食品安全抽检3000批次。",
)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    docx_writer.write([H1, H2], OUT / "h1_h2.docx")
    xlsx_writer.write([H3, H4], OUT / "h3_h4.xlsx")
    text_writer.write([H5, H6], OUT / "h5_h6.txt")
    xlsx_writer.write([H7, H8], OUT / "h7_h8.xlsx")


if __name__ == "__main__":
    main()
