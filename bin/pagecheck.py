#!/usr/bin/python3
"""Checks a report page as a reader's browser sees it: pagecheck.py PAGE WIDTH SHOT.png
Opens PAGE in headless Chromium WIDTH px wide (under 500: a phone, by Chrome's mobile emulation),
saves the first screen to SHOT.png, scrolls to the end and prints the page weight (the HTML and every
image the browser loaded, folds closed), its height in 900 px screens and anything wider than the
screen outside a scroll box. Not part of the build or the tests: it needs Debian's chromium,
chromium-driver and python3-selenium (apt install), and /usr/bin/python3."""
import sys, os, time, urllib.parse
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
page, width, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
o = Options(); o.add_argument('--headless=new'); o.add_argument('--no-sandbox'); o.add_argument('--disable-gpu'); o.add_argument('--hide-scrollbars')
o.add_argument(f'--window-size={max(width,500)},900')
if width < 500: o.add_experimental_option('mobileEmulation', {'deviceMetrics': {'width': width, 'height': 900, 'pixelRatio': 2}})
d = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=o)
try:
    d.get('file://' + os.path.abspath(page))
    time.sleep(1)
    d.save_screenshot(out)
    h = d.execute_script('return document.body.scrollHeight')
    for y in range(0, h + 900, 600):
        d.execute_script(f'window.scrollTo(0,{y})'); time.sleep(0.05)
    time.sleep(1)
    res = d.execute_script("return Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).map(i => i.currentSrc)")
    html = os.path.getsize(os.path.realpath(page))
    imgs = 0
    for r in res:
        p = urllib.parse.unquote(urllib.parse.urlparse(r).path)
        if os.path.exists(p): imgs += os.path.getsize(p)
    vw = d.execute_script('return document.documentElement.clientWidth')
    sw = d.execute_script('return document.documentElement.scrollWidth')
    wide = d.execute_script("""var out=[]; document.querySelectorAll('main *').forEach(e=>{var r=e.getBoundingClientRect();
      if(r.right>document.documentElement.clientWidth+1 && r.width>0 && !e.closest('.scroll')){var s=e.closest('section[id]');
      out.push(e.tagName+'.'+e.className+' in #'+(s?s.id:'')+' right '+Math.round(r.right));}}); return out.slice(0,6);""")
    screens = d.execute_script('return document.body.scrollHeight') / 900
    print(f'{page} @{width}px: html {html/1024:.0f} KB, images loaded {len(res)} = {imgs/1024:.0f} KB, total {(html+imgs)/1024:.0f} KB; '
          f'{screens:.1f} screens; page width {sw} of {vw}; outside the screen (not in a scroll box): {wide}')
finally:
    d.quit()
