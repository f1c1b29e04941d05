"""QGIS 3.22 headless as a WMS-T client of Frontline (run with Debian's /usr/bin/python3).

    qgis_wmst.py BASE_URL OUT_DIR
Adds the `default` layer as WMS-T, checks its temporal capabilities, renders it on 1 and 28 March
2022 around Parukh (EPSG:3857, 400x300) and prints one JSON line: the layer's validity, whether
QGIS saw it as temporal, and the colour at Parukh's changed ground on each date (r, g, b).
"""
import json, os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsRasterLayer, QgsMapSettings, QgsMapRendererParallelJob, QgsRectangle,
                       QgsCoordinateReferenceSystem, QgsDateTimeRange, QgsCoordinateTransform, QgsProject, QgsPointXY)
from qgis.PyQt.QtCore import QEventLoop, QSize, QDateTime, QDate, QTime, Qt

base, out = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
uri = ("crs=EPSG:3857&format=image/png&layers=default&styles=&url=" + base + "/wms"
       "&type=wmst&allowTemporalUpdates=true&temporalSource=provider&timeDimensionExtent=2020-11-10/2023-12-31/P1D")
layer = QgsRasterLayer(uri, "frontline", "wms")
result = {"valid": layer.isValid(), "error": layer.error().summary() if not layer.isValid() else ""}
result["temporal"] = bool(layer.temporalProperties() and layer.dataProvider().temporalCapabilities().hasTemporalCapabilities())
to3857 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance())
lo, hi = to3857.transform(QgsPointXY(46.75, 39.98)), to3857.transform(QgsPointXY(46.85, 40.04))
target = to3857.transform(QgsPointXY(46.797, 40.012))
for day in ("2022-03-01", "2022-03-28"):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setExtent(QgsRectangle(lo.x(), lo.y(), hi.x(), hi.y()))
    settings.setOutputSize(QSize(400, 300))
    settings.setIsTemporal(True)
    d = QDate.fromString(day, "yyyy-MM-dd")
    settings.setTemporalRange(QgsDateTimeRange(QDateTime(d, QTime(0, 0), Qt.UTC), QDateTime(d, QTime(23, 59), Qt.UTC)))
    job = QgsMapRendererParallelJob(settings)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    job.start()
    loop.exec_()
    image = job.renderedImage()
    image.save(os.path.join(out, day + ".png"))
    # The pixel of the target in the rendered extent (QGIS may widen the extent to the image's aspect).
    extent = settings.visibleExtent()
    x = int((target.x() - extent.xMinimum()) / extent.width() * image.width())
    y = int((extent.yMaximum() - target.y()) / extent.height() * image.height())
    c = image.pixelColor(x, y)
    result[day] = [c.red(), c.green(), c.blue()]
print(json.dumps(result))
app.exitQgis()
