"""Image pixels to screen points on single, multi-monitor (negative offsets) and HiDPI layouts."""
import pytest

from alphaomega.agents.desktop_coordinates import Monitor, ScreenMap, input_scale

PRIMARY = Monitor(0, 0, 2560, 1440)
LEFT_OF_PRIMARY = Monitor(-1920, 0, 1920, 1080)  # a second monitor to the left
ABOVE_PRIMARY = Monitor(0, -1080, 1920, 1080)  # stacked on top
RIGHT_LOWER = Monitor(2560, 360, 1280, 1024)  # to the right, not top-aligned
ODD = Monitor(-1366, -768, 1366, 768)  # up and to the left


def test_factor_two_hits_the_centre_of_the_pixel_block():
    screen = ScreenMap(PRIMARY, (1280, 720))
    assert screen.to_screen(200, 125) == (401, 251)  # the reference's Submit button
    assert screen.to_screen(640, 360) == (1281, 721)


def test_identity_when_the_image_is_the_screen():
    screen = ScreenMap(Monitor(0, 0, 1280, 720), (1280, 720))
    assert screen.to_screen(450, 320) == (450, 320)
    assert screen.to_image(450, 320) == (450, 320)


@pytest.mark.parametrize("monitor", [LEFT_OF_PRIMARY, ABOVE_PRIMARY, RIGHT_LOWER, ODD])
def test_offsets_are_added_including_negative_ones(monitor):
    screen = ScreenMap(monitor, (960, 540))
    sx, sy = screen.to_screen(480, 270)  # the middle of the image
    assert sx == pytest.approx(monitor.left + monitor.width / 2, abs=2)
    assert sy == pytest.approx(monitor.top + monitor.height / 2, abs=2)
    left, top, right, bottom = screen.bounds
    for x, y in ((0, 0), (959, 539), (0, 539), (959, 0)):
        px, py = screen.to_screen(x, y)
        assert left < px < right - 1 and top < py < bottom - 1, (x, y, px, py)


def test_left_monitor_points_are_negative():
    screen = ScreenMap(LEFT_OF_PRIMARY, (1280, 720))
    sx, sy = screen.to_screen(100, 100)
    assert sx < 0 and sy > 0
    assert sx == -1920 + int((100 + 0.5) * 1920 / 1280)


def test_corners_are_kept_one_pixel_inside_the_monitor():
    screen = ScreenMap(PRIMARY, (1280, 720))
    assert screen.to_screen(0, 0) == (1, 1)
    assert screen.to_screen(1279, 719) == (2558, 1438)
    primary_corners = {(0, 0), (2559, 0), (0, 1439), (2559, 1439)}  # pyautogui's FAILSAFE_POINTS
    for x in (0, 1, 1278, 1279):
        for y in (0, 1, 718, 719):
            assert screen.to_screen(x, y) not in primary_corners


def test_hidpi_capture_twice_the_input_space():
    # a Retina screen captured as 2880x1800 pixels while the mouse works in 1440x900 points
    screen = ScreenMap(Monitor(0, 0, 2880, 1800), (1440, 900), scale=2.0)
    assert screen.bounds == (0, 0, 1440, 900)
    assert screen.to_screen(720, 450) == (720, 450)
    assert screen.to_screen(100, 50) == (100, 50)


def test_hidpi_secondary_monitor_with_negative_offset():
    screen = ScreenMap(Monitor(-3840, 0, 3840, 2160), (1280, 720), scale=2.0)
    assert screen.bounds == (-1920, 0, 0, 1080)
    sx, sy = screen.to_screen(640, 360)
    assert (sx, sy) == (-960, 540)


def test_fractional_windows_scaling():
    screen = ScreenMap(Monitor(0, 0, 2880, 1620), (1280, 720), scale=1.5)
    sx, sy = screen.to_screen(640, 360)
    assert (sx, sy) == (960, 540)


@pytest.mark.parametrize("monitor,scale", [(PRIMARY, 1.0), (LEFT_OF_PRIMARY, 1.0), (ODD, 1.0),
                                           (Monitor(-3840, -2160, 3840, 2160), 2.0), (RIGHT_LOWER, 1.25)])
def test_round_trip_stays_within_one_image_pixel(monitor, scale):
    screen = ScreenMap(monitor, (1280, 720), scale=scale)
    for x in range(5, 1275, 97):
        for y in range(5, 715, 61):
            back = screen.to_image(*screen.to_screen(x, y))
            assert abs(back[0] - x) <= 1 and abs(back[1] - y) <= 1, (x, y, back)


def test_norm1000_coordinates():
    screen = ScreenMap(PRIMARY, (1280, 720))
    assert screen.from_norm1000(0, 0) == (0, 0)
    assert screen.from_norm1000(500, 500) == (640, 360)
    assert screen.from_norm1000(999, 999) == (1278, 719)


def test_input_scale_is_measured_and_snapped():
    assert input_scale((2560, 1440), (2560, 1440)) == 1.0
    assert input_scale((2880, 1800), (1440, 900)) == 2.0
    assert input_scale((2880, 1620), (1920, 1080)) == 1.5
    assert input_scale((4480, 1440), (4480, 1440)) == 1.0  # two monitors side by side
    assert input_scale((0, 0), (1920, 1080)) == 1.0


def test_from_mss_and_bad_input():
    assert Monitor.from_mss({"left": -1920, "top": 0, "width": 1920, "height": 1080}) == LEFT_OF_PRIMARY
    with pytest.raises(ValueError):
        ScreenMap(PRIMARY, (0, 720))
    with pytest.raises(ValueError):
        ScreenMap(PRIMARY, (1280, 720), scale=0)
