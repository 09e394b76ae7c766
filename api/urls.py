from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import feed_views, library_views, reporting_views, views

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("updates", views.UpdateViewSet, basename="update")
router.register("libraries", library_views.LibraryViewSet, basename="library")
router.register("budget-lines", reporting_views.BudgetLineViewSet, basename="budget-line")
router.register("period-reports", reporting_views.PeriodReportViewSet, basename="period-report")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets one inline style of its own; only this page allows inline styles.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    # The same HXL exports under the file names a spreadsheet user expects.
    path("indicators.csv", views.IndicatorViewSet.as_view({"get": "hxl"}), name="indicators-csv"),
    path("updates.csv", views.UpdateViewSet.as_view({"get": "hxl"}), name="updates-csv"),
    # Beside them: with a byte order mark for Excel, and the 3W long format.
    path(
        "indicators-excel.csv",
        views.IndicatorViewSet.as_view({"get": "hxl_excel"}),
        name="indicators-excel-csv",
    ),
    path(
        "updates-excel.csv",
        views.UpdateViewSet.as_view({"get": "hxl_excel"}),
        name="updates-excel-csv",
    ),
    path(
        "indicators-3w.csv",
        views.IndicatorViewSet.as_view({"get": "three_w"}),
        name="indicators-3w-csv",
    ),
    path(
        "indicators-3w-excel.csv",
        views.IndicatorViewSet.as_view({"get": "three_w_excel"}),
        name="indicators-3w-excel-csv",
    ),
    path("changes/", feed_views.ChangeFeedView.as_view(), name="changes"),
    path("", include(router.urls)),
]
