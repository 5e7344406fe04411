"""Chinese texts of the training layer: lesson 03's plan (``training/planner.py``)."""

__all__ = ["MESSAGES"]

MESSAGES = {
    "ResNet-9 w{width}, {epochs} epochs, {sizes} px":
        "ResNet-9 w{width}，{epochs} 个迭代周期，{sizes} px",
    "every size": "每种尺寸",
    "32 px only (a lower bound)": "仅 32 px（下界）",
    "not probed (a lower bound from a narrower width)": "未探测（由更窄宽度推得的下界）",
    "the most accurate candidate predicted to train within {budget:g} minutes here "
    "({minutes:.1f} min)":
        "预计能在本机 {budget:g} 分钟内训练完的候选方案中最准确的一个（{minutes:.1f} 分钟）",
    "no candidate is predicted to fit {budget:g} minutes here; this is the fastest "
    "({minutes:.1f} min)":
        "预计没有候选方案能在本机 {budget:g} 分钟内训练完；这是最快的一个（{minutes:.1f} 分钟）",
    "candidate": "候选方案",
    "images/s at 32 px": "32 px 时每秒图像数",
    "predicted minutes": "预计分钟数",
    "probed": "探测",
    "measured test accuracy": "实测测试准确率",
    "fits": "能否按时完成",
    "chosen": "选定",
    "precision": "精度",
}
