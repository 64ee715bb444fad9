"""The bounds layer: every point must lie inside the screenshot, away from the corners and edges.

Points are pixels of the image the model saw. A point in a corner would trigger pyautogui's
fail-safe (or a hot corner); a point within EDGE px of an edge hits menus, docks and hot corners
that the model rarely means, so it needs confirmation. "Within EDGE px" includes EDGE itself.
"""
from alphaomega.safety.decision import LayerResult, allow, block, confirm

EDGE = 4  # pixels of the image: a point this close to an edge (or closer) counts as "at the edge"


def points(action: dict) -> list[tuple[int, int]]:
    if "x" in action and "y" in action:
        return [(action["x"], action["y"])]
    if action.get("type") == "drag":
        return [(action["from"]["x"], action["from"]["y"]), (action["to"]["x"], action["to"]["y"])]
    return []


def check(action: dict, image_size: tuple[int, int]) -> LayerResult:
    width, height = image_size
    worst: LayerResult = allow("bounds")
    for x, y in points(action):
        if not (0 <= x < width and 0 <= y < height):
            return block("bounds", "bounds.outside_screen",
                         f"point ({x}, {y}) is outside the {width}x{height} screenshot")
        near_x = x <= EDGE or x >= width - 1 - EDGE
        near_y = y <= EDGE or y >= height - 1 - EDGE
        if near_x and near_y:
            return block("bounds", "bounds.failsafe_corner",
                         f"point ({x}, {y}) is in a screen corner (the emergency-stop and hot-corner area)")
        if near_x or near_y:
            worst = confirm("bounds", "bounds.screen_edge",
                            f"point ({x}, {y}) is at the very edge of the screen (menus, docks, hot corners)")
    return worst
