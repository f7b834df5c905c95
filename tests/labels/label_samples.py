"""Sample label data for the labels tests (a plain module: "conftest" may be another directory's)."""

from labels import LabelData, qr_url

BASE = "https://xj.ybj.guizhou.gov.cn"


def make_label(tag: str = "GZ3K7M2Q", **fields) -> LabelData:
    values = dict(
        type_name="4K高清摄像机",
        model="捷视飞通 JF12000",
        site_name="贵阳市医疗保障局",
        room_name="视频会议室",
        owner_line="贵州省医疗保障局",
        support_line="运维热线 0851-8888 6666",
    )
    values.update(fields)
    return LabelData(tag=tag, url=qr_url(BASE, tag), **values)


def longest_label() -> LabelData:
    """The longest texts the contract has, from the issue: they must print whole on 40x30 mm."""
    return make_label(
        "GZ3K7M2Q",
        type_name="云媒体协作处理平台（市州级平台）",
        model="淳中 MOBIUS-8501-12D12H-6UH4D10H4S",
        site_name="务川仡佬族苗族自治县医疗保障局",
        room_name="三楼视频会议室",
        owner_line="务川仡佬族苗族自治县医疗保障局",
        support_line="运维热线 0851-8888 6666",
    )
