"""Writes cmyk_adobe.jpg with PIL and, for every CMYK/YCCK JPEG here, PIL's convert('RGB') as
<name>.pil.png: the colours the official (PIL-based) code sees. Run after GenerateCmykJpegs.java."""
from PIL import Image, __version__

w, h = 64, 48
im = Image.new('CMYK', (w, h))
px = im.load()
for y in range(h):
    for x in range(w):
        px[x, y] = (x * 4 % 256, y * 5 % 256, x * y % 256, (x + y) * 2 % 256)
im.save('cmyk_adobe.jpg', quality=95)

for name in ['cmyk_adobe', 'cmyk_plain', 'ycck']:
    src = Image.open(name + '.jpg')
    rgb = src.convert('RGB')
    rgb.save(name + '.pil.png')
    n = w * h
    means = [sum(rgb.getpixel((x, y))[c] for y in range(h) for x in range(w)) / n for c in range(3)]
    print(name, src.mode, 'adobe_transform', src.info.get('adobe_transform'), 'mean RGB %.3f %.3f %.3f' % tuple(means),
          'PIL', __version__)
