"""Every controller of the app, listed once (pages, then API)."""

from __future__ import annotations

from resourcepool.web.api.accounts import AuthApi
from resourcepool.web.api.assets import AssetApi
from resourcepool.web.api.bookings import BookingsApi
from resourcepool.web.api.calendar import CalendarFeedsApi, NotificationSettingsApi
from resourcepool.web.api.catalogue import CatalogueApi
from resourcepool.web.api.external_calendar import ExternalCalendarApi
from resourcepool.web.api.health import HealthApi
from resourcepool.web.api.organisations import NetworksApi, OrganisationsApi
from resourcepool.web.pages.accounts import AccountPages, InvitationPages, LoginPages, PasswordPages
from resourcepool.web.pages.apply import ApplyPages
from resourcepool.web.pages.coordinator import CoordinatorPages
from resourcepool.web.pages.bookings import BookingPages
from resourcepool.web.pages.calendar import CalendarFeedPages, CalendarPages
from resourcepool.web.pages.catalogue import CataloguePages
from resourcepool.web.pages.home import HomePages
from resourcepool.web.pages.our_assets import AssetPhotoPages, OurAssetsPages
from resourcepool.web.pages.external_calendar import ExternalCalendarPages
from resourcepool.web.pages.organisations import OrganisationPages

# --- pages -----------------------------------------------------------------------------
PAGES: list[type] = [
    HomePages,
    # accounts
    LoginPages, PasswordPages, InvitationPages, AccountPages,
    # organisations
    ApplyPages, OrganisationPages, CoordinatorPages,
    # assets
    OurAssetsPages, AssetPhotoPages, CataloguePages,
    # bookings
    BookingPages,
    # calendars
    CalendarFeedPages, CalendarPages,
    # external calendars (busy times)
    ExternalCalendarPages,
]

# --- JSON API (/api/v1) ----------------------------------------------------------------
API: list[type] = [
    # accounts
    AuthApi,
    # organisations
    NetworksApi, OrganisationsApi,
    # assets
    AssetApi, CatalogueApi,
    # bookings
    BookingsApi,
    # calendars
    CalendarFeedsApi, NotificationSettingsApi,
    # external calendars (busy times)
    ExternalCalendarApi,
]

OTHER: list[type] = [HealthApi]
