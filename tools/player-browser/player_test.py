"""Drives the recording player in Debian's headless Chromium and prints what it observed as one JSON object.

Usage: player_test.py PLAYER_URL SCREENSHOT_PATH
       player_test.py --follow PLAYER_URL READY_PATH
       player_test.py --pages URL...
The first plays, seeks, changes speed and downloads (the URL may end in a #t=SECONDS deep link); the second opens a
page whose transcript is being made, creates READY_PATH once the page shows that, and waits for the transcript to
appear (the test makes it meanwhile); the third opens each URL and prints its title, its text and, where it has a
player, the audio's duration once loaded (null without one).
Run by Tests/ServerTests/PlayerBrowserTests.swift against a live server; the Swift test asserts on the JSON.
Offline: SE_OFFLINE=true keeps Selenium from looking for drivers on the network; Debian's chromedriver is used.
"""

import json
import os
import sys
import time

os.environ["SE_OFFLINE"] = "true"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def range_requests(driver):
    """(range header, status) of every audio.mp3 request the browser made since the last call."""
    sent, status = {}, {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] in ("Network.requestWillBeSent", "Network.requestWillBeSentExtraInfo"):
            headers = params.get("headers") or params.get("request", {}).get("headers", {})
            url = params.get("request", {}).get("url", "")
            for name, value in headers.items():
                if name.lower() == "range" and ("audio.mp3" in url or message["method"].endswith("ExtraInfo")):
                    sent[params["requestId"]] = value
        if message["method"] == "Network.responseReceived" and "audio.mp3" in params["response"]["url"]:
            status[params["requestId"]] = params["response"]["status"]
    return [(sent[request], status.get(request)) for request in sent]


def start_browser(extra_arguments=()):
    """Debian's headless Chromium, muted, allowed to play without a gesture, logging the network."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
                     "--window-size=1200,900", *extra_arguments):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def play(driver, url, screenshot):
    """What the player does when played, seeked, sped up, muted and downloaded, and on a phone screen."""
    result = {}
    driver.get(url)
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: d.execute_script("return document.getElementById('audio').readyState >= 1"))
    # Where a #t= deep link put the audio, once the seek is done (recorded as it is if that never happens).
    try:
        wait.until(lambda d: d.execute_script(
            "const a = document.getElementById('audio');"
            "return !a.seeking && Number(document.getElementById('seek').getAttribute('aria-valuenow')) > 0"))
    except TimeoutException:
        pass
    result["start"] = driver.execute_script(
        "return {current_time: document.getElementById('audio').currentTime,"
        " valuenow: Number(document.getElementById('seek').getAttribute('aria-valuenow')),"
        " time: document.getElementById('time').textContent}")
    result["duration"] = driver.execute_script("return document.getElementById('audio').duration")
    result["speed_buttons"] = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "button.speed")]
    result["rates"] = {}
    for button in driver.find_elements(By.CSS_SELECTOR, "button.speed"):
        button.click()
        result["rates"][button.text] = driver.execute_script(
            "const a = document.getElementById('audio'); return [a.playbackRate, a.preservesPitch ? 1 : 0];")
    requests = range_requests(driver)  # those of loading the page
    slider = driver.find_element(By.CSS_SELECTOR, "[role=slider]")
    result["slider"] = {name: slider.get_attribute(name) for name in ("aria-valuemin", "aria-valuemax", "tabindex")}
    width = slider.size["width"]
    result["buffered_before_click"] = driver.execute_script(
        "const b = document.getElementById('audio').buffered;"
        "return Array.from({length: b.length}, (_, i) => [b.start(i), b.end(i)]);")
    webdriver.ActionChains(driver).move_to_element_with_offset(slider, int(width * 0.3), 0).click().perform()
    wait.until(lambda d: d.execute_script("return !document.getElementById('audio').seeking"))
    result["after_seek_click"] = driver.execute_script("return document.getElementById('audio').currentTime")
    result["after_seek_valuenow"] = float(slider.get_attribute("aria-valuenow"))
    deadline = time.monotonic() + 5
    seek_requests = []
    while time.monotonic() < deadline and not any(status == 206 for _, status in seek_requests):
        seek_requests += range_requests(driver)
        time.sleep(0.2)
    result["range_requests_on_load"] = requests
    result["range_requests_after_seek"] = seek_requests
    slider.send_keys("\ue012")  # ArrowLeft: 5 s back
    result["after_arrow_left"] = driver.execute_script("return document.getElementById('audio').currentTime")
    lines = driver.find_elements(By.CSS_SELECTOR, "[data-start]")
    result["transcript_starts"] = [float(line.get_attribute("data-start")) for line in lines]
    if len(lines) > 1:
        lines[1].click()
        wait.until(lambda d: d.execute_script("return !document.getElementById('audio').seeking"))
        result["after_line_click"] = driver.execute_script("return document.getElementById('audio').currentTime")
    mute = driver.find_element(By.ID, "mute")
    result["mute_states"] = [(mute.text, mute.get_attribute("aria-pressed"))]
    for _ in range(2):
        mute.click()
        wait.until(lambda d, m=mute, before=result["mute_states"][-1]: (m.text, m.get_attribute("aria-pressed")) != before)
        result["mute_states"].append((mute.text, mute.get_attribute("aria-pressed")))
    result["download"] = driver.execute_async_script(
        "const done = arguments[0];"
        "fetch(document.getElementById('download').href).then(r => done(["
        "r.status, r.headers.get('content-type'), r.headers.get('content-disposition')]));")
    driver.save_screenshot(screenshot)
    # A 390-pixel phone screen: the page keeps a margin on both sides and the speed buttons stay on one line.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    result["phone"] = driver.execute_script(
        "const controls = document.querySelector('.controls').getBoundingClientRect();"
        "const tops = Array.from(document.querySelectorAll('button.speed'), b => b.getBoundingClientRect().top);"
        "return {viewport: document.documentElement.clientWidth, left: controls.left,"
        " right: document.documentElement.clientWidth - controls.right,"
        " speed_rows: new Set(tops.map(Math.round)).size};")
    return result


def follow(driver, url, ready):
    """A page opened while its transcript is being made: what it shows then, and once the transcript is made."""
    result = {}
    driver.get(url)
    driver.execute_script("window.openedByTheTest = true;")  # gone if the page is ever loaded again
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "transcript-status").text)
    result["before"] = driver.find_element(By.ID, "transcript-status").text
    open(ready, "w").close()
    try:
        WebDriverWait(driver, 180).until(lambda d: d.find_elements(By.ID, "transcript"))
    except TimeoutException:
        pass
    result["lines"] = driver.execute_script(
        "return Array.from(document.querySelectorAll('#transcript li[data-start]'),"
        " li => [Number(li.dataset.start), li.textContent]);")
    result["status_after"] = [status.text for status in driver.find_elements(By.ID, "transcript-status")]
    result["same_page"] = driver.execute_script("return window.openedByTheTest === true")
    return result


def pages(driver, urls):
    """Each page's title and text, and its audio's duration once loaded (None on a page without a player)."""
    result = []
    for url in urls:
        driver.get(url)
        duration = None
        if driver.find_elements(By.ID, "audio"):
            WebDriverWait(driver, 30).until(
                lambda d: d.execute_script("return document.getElementById('audio').readyState >= 1"))
            duration = driver.execute_script("return document.getElementById('audio').duration")
        result.append({"title": driver.title, "text": driver.find_element(By.TAG_NAME, "body").text,
                       "audio_duration": duration})
    return result


def main():
    driver = start_browser()
    try:
        if sys.argv[1] == "--follow":
            result = follow(driver, sys.argv[2], sys.argv[3])
        elif sys.argv[1] == "--pages":
            result = pages(driver, sys.argv[2:])
        else:
            result = play(driver, sys.argv[1], sys.argv[2])
    finally:
        driver.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
