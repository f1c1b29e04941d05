// GDAL's C API: datasets and drivers (gdal.h), vector layers and features (ogr_api.h), spatial
// references and transforms (ogr_srs_api.h), errors and options (cpl_*.h), from Debian's
// libgdal-dev (its headers include each other by relative path, so the absolute paths suffice).
//
// libgdal is not linked: with the 113 libraries it pulls in, loading it took 40 ms from the start
// of every command, though only `import`, `record` and exports to GIS formats use it. It is
// loaded on first use instead (gdal_loader.c): frontline_gdal_load() must succeed before any
// GDAL function is called (FrontlineFormats' GDALSession does it). Each function Frontline calls
// is listed once in FRONTLINE_GDAL_FUNCTIONS; one left out fails the link ("undefined reference").
#include "/usr/include/gdal/gdal.h"
#include "/usr/include/gdal/ogr_api.h"
#include "/usr/include/gdal/ogr_srs_api.h"
#include "/usr/include/gdal/cpl_error.h"
#include "/usr/include/gdal/cpl_conv.h"
#include "/usr/include/gdal/cpl_string.h"
#include "/usr/include/gdal/cpl_vsi.h"

/// Loads libgdal and looks up every function Frontline calls. Returns NULL on success (also
/// when already loaded), else a message saying what is missing. Safe to call from any thread.
const char *_Nullable frontline_gdal_load(void);

#define FRONTLINE_GDAL_FUNCTIONS(X) \
    X(CPLErrorReset) X(CPLGetErrorHandlerUserData) X(CPLGetLastErrorMsg) X(CPLGetLastErrorType) \
    X(CPLPopErrorHandler) X(CPLPushErrorHandlerEx) \
    X(GDALAllRegister) X(GDALClose) X(GDALCreate) X(GDALCreateCopy) X(GDALDatasetCreateLayer) X(GDALDatasetGetLayer) \
    X(GDALDatasetRasterIO) X(VSIFree) X(VSIGetMemFileBuffer) \
    X(GDALDatasetGetLayerCount) X(GDALGetDriverByName) X(GDALOpenEx) \
    X(OCTDestroyCoordinateTransformation) X(OCTNewCoordinateTransformation) \
    X(OGR_FD_GetFieldCount) X(OGR_FD_GetFieldDefn) \
    X(OGR_F_Create) X(OGR_F_Destroy) X(OGR_F_GetFieldAsDateTimeEx) X(OGR_F_GetFieldAsDouble) \
    X(OGR_F_GetFieldAsDoubleList) X(OGR_F_GetFieldAsInteger) X(OGR_F_GetFieldAsInteger64) \
    X(OGR_F_GetFieldAsInteger64List) X(OGR_F_GetFieldAsIntegerList) X(OGR_F_GetFieldAsString) \
    X(OGR_F_GetFieldAsStringList) X(OGR_F_GetGeometryRef) X(OGR_F_IsFieldSetAndNotNull) \
    X(OGR_F_SetFieldDouble) X(OGR_F_SetFieldInteger) X(OGR_F_SetFieldInteger64) X(OGR_F_SetFieldNull) \
    X(OGR_F_SetFieldString) X(OGR_F_SetGeometryDirectly) \
    X(OGR_Fld_Create) X(OGR_Fld_Destroy) X(OGR_Fld_GetNameRef) X(OGR_Fld_GetSubType) X(OGR_Fld_GetType) \
    X(OGR_Fld_SetSubType) \
    X(OGR_GT_IsNonLinear) X(OGR_G_CreateFromWkb) X(OGR_G_DestroyGeometry) X(OGR_G_ExportToIsoWkb) \
    X(OGR_G_ForceToMultiLineString) X(OGR_G_ForceToMultiPoint) X(OGR_G_ForceToMultiPolygon) \
    X(OGR_G_GetGeometryType) X(OGR_G_GetLinearGeometry) X(OGR_G_Transform) X(OGR_G_WkbSize) \
    X(OGR_L_CreateFeature) X(OGR_L_CreateField) X(OGR_L_GetLayerDefn) X(OGR_L_GetName) \
    X(OGR_L_GetNextFeature) X(OGR_L_GetSpatialRef) X(OGR_L_ResetReading) \
    X(OSRClone) X(OSRGetName) X(OSRImportFromEPSG) X(OSRIsSame) X(OSRNewSpatialReference) X(OSRRelease) \
    X(OSRSetAxisMappingStrategy)
