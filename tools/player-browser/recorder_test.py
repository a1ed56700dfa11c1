"""Records a prompt on the service's recording page in Debian's headless Chromium, its fake microphone fed a
file, and prints what the page showed as one JSON object.

Usage: recorder_test.py PAGE_URL MICROPHONE_WAV SECONDS
Presses Record, lets the microphone run SECONDS (the length of the recording, not a wait for the page), presses
Stop, waits for the preview to load, presses Save and waits for the page to say whether it saved.
Run by Tests/ServerTests/PromptBrowserTests.swift against a live server; the Swift test asserts on the JSON and on
the prompt the service made of the upload.
"""

import json
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from player_test import start_browser


def record(driver, url, seconds):
    result = {}
    driver.get(url)
    wait = WebDriverWait(driver, 30)
    result["title"] = driver.title
    result["buttons"] = [b.text for b in driver.find_elements(By.CSS_SELECTOR, ".controls button")]
    result["disabled_at_start"] = [b.text for b in driver.find_elements(By.CSS_SELECTOR, ".controls button:disabled")]
    driver.find_element(By.ID, "record").click()
    wait.until(lambda d: d.find_element(By.ID, "stop").is_enabled())
    result["while_recording"] = driver.find_element(By.ID, "status").text
    time.sleep(seconds)
    driver.find_element(By.ID, "stop").click()
    wait.until(lambda d: d.find_element(By.ID, "save").is_enabled())
    # The preview plays the recording before it is saved: a blob the audio element loads.
    wait.until(lambda d: d.execute_script("return document.getElementById('preview').readyState >= 1"))
    result["preview"] = driver.execute_script(
        "const a = document.getElementById('preview');"
        "return {src: a.src.split(':')[0], hidden: a.hidden}")
    result["after_stop"] = driver.find_element(By.ID, "status").text
    driver.find_element(By.ID, "save").click()
    wait.until(lambda d: d.find_element(By.ID, "status").text.startswith(("Saved", "Saving failed")))
    result["after_save"] = driver.find_element(By.ID, "status").text
    result["prompt_id"] = driver.execute_script("return document.body.dataset.promptId || null")
    return result


def main():
    url, microphone, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    driver = start_browser(("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                            f"--use-file-for-fake-audio-capture={microphone}"))
    try:
        result = record(driver, url, seconds)
    finally:
        driver.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
