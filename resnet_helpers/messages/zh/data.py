"""Chinese texts of the data layer: the summary of ``rh.load_image_folder`` (lesson 06)."""

__all__ = ["MESSAGES"]

MESSAGES = {
    "split as given (train/, test/)": "按给定的划分（train/、test/）",
    "split for you: {fraction:.0%} of each class for testing (seed {seed})":
        "自动划分：每个类别留出 {fraction:.0%} 用于测试（随机种子 {seed}）",
    "{folder}: {classes} classes, {train:,} training and {test:,} test images ({split}); "
    "training images per class {low}–{high}":
        "{folder}：{classes} 个类别，{train:,} 张训练图像和 {test:,} 张测试图像（{split}）；"
        "每个类别的训练图像数为 {low}–{high}",
    "  classes: {names}": "  类别：{names}",
    "  every image centre-cropped to {width}:{height} and resized to {height}×{width} "
    "pixels (height × width)":
        "  每张图像都按 {width}:{height} 从中心裁剪，再缩放到 {height}×{width} 像素（高 × 宽）",
    "  converted to RGB: {counts}": "  已转换为 RGB：{counts}",
    "  no test images for: {names} (their accuracy is not measured)":
        "  以下类别没有测试图像：{names}（无法测量它们的准确率）",
    "  ignored {count} file(s) or folder(s) that are not images: {names}":
        "  忽略了 {count} 个不是图像的文件或文件夹：{names}",
    "grayscale": "灰度",
    "grayscale with transparency": "带透明通道的灰度",
    "palette": "调色板",
    "palette with transparency": "带透明通道的调色板",
    "black-and-white": "黑白",
    "16-bit grayscale": "16 位灰度",
    "32-bit grayscale": "32 位灰度",
    # the file formats of rh.write_image_folder's example folder (lesson 06)
    "landscape JPEG with margins": "带灰边的横幅 JPEG",
    "grayscale PNG": "灰度 PNG",
    "RGBA PNG": "RGBA PNG（带透明通道）",
    "palette GIF": "调色板 GIF",
    "PNG": "PNG 图像",
    "JPEG": "JPEG 图像",
}
