"""The order read model: escrow's contract snapshot, the view claims are checked against, tracking history."""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from services.disputes.domain.orders import FirstReport, OrderRecord, OrderView
from shared.mongo import Document, Indexes, Session
from shared.store import VersionedStore, from_document, to_document

ORDERS = "orders"
ORDER_INDEXES = Indexes(
    ORDERS,
    [
        IndexModel([("view.buyer_id", ASCENDING)], name="by_buyer"),
        IndexModel([("view.supplier_id", ASCENDING)], name="by_supplier"),
    ],
)


class OrderRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._orders = db[ORDERS]
        self._views = VersionedStore(db, ORDERS, OrderView, id_field="order_id", under="view")

    async def get(self, order_id: str, *, session: Session | None = None) -> OrderRecord | None:
        document = await self._orders.find_one({"_id": order_id}, session=session)
        if document is None:
            return None
        view = document.get("view")
        return OrderRecord(
            order_id=order_id,
            version=int(document.get("version", 0)),
            view=None if view is None else from_document(OrderView, view),
            contract=document.get("contract", {}),
            tracking=document.get("tracking", []),
            inspections=document.get("inspections", []),
        )

    async def record_contract(self, order_id: str, part: str, payload: Document, *, session: Session) -> None:
        """Keep escrow's own words (`placed`, `funded`) as the contract snapshot shown to mediators."""
        await self._orders.update_one(
            {"_id": order_id}, {"$set": {f"contract.{part}": payload}}, upsert=True, session=session
        )

    async def save_view(
        self,
        view: OrderView,
        *,
        expected_version: int,
        session: Session,
        tracking: Document | None = None,
        contract: tuple[str, Document] | None = None,
    ) -> None:
        """Guarded update; the first save (version 0) may create the document, or join the facts before it.

        The tracking entry or contract part of the event that changed the view joins the same write."""
        also: dict[str, Document] = {}
        if tracking is not None:
            also["$push"] = {"tracking": tracking}
        if contract is not None:
            part, payload = contract
            also["$set"] = {f"contract.{part}": payload}
        await self._views.save(view, expected_version=expected_version, session=session, also=also)

    async def open_view(self, view: OrderView, contract: tuple[str, Document], *, session: Session) -> None:
        """The order's view as its funding opens it, unless it has one already (a second funding report
        changes only escrow's words of it), with the contract part: one write, where reading the document
        first cost two. An update pipeline, so the document decides; `$literal` keeps the values as given."""
        part, payload = contract
        await self._orders.update_one(
            {"_id": view.order_id},
            [
                {
                    "$set": {
                        "version": _version_moved_on_if(_unset("view")),
                        "view": {"$ifNull": ["$view", {"$literal": to_document(view)}]},
                        f"contract.{part}": {"$literal": payload},
                    }
                }
            ],
            upsert=True,
            session=session,
        )

    async def note_first(
        self, order_id: str, fact: FirstReport, at: datetime, *, tracking: Document, session: Session
    ) -> bool:
        """`record_first` in the update itself: one write, where reading the view first cost two. The
        version moves on only when the view changed, as a guarded save of it would."""
        unset = _unset(f"view.{fact}")
        result = await self._orders.update_one(
            {"_id": order_id, "view": {"$type": "object"}},
            [
                {
                    "$set": {
                        "version": _version_moved_on_if(unset),
                        f"view.{fact}": {"$cond": [unset, {"$literal": at}, f"$view.{fact}"]},
                        "tracking": {
                            "$concatArrays": [{"$ifNull": ["$tracking", []]}, [{"$literal": tracking}]]
                        },
                    }
                }
            ],
            session=session,
        )
        return result.matched_count == 1

    async def append_tracking(self, order_id: str, entry: Document, *, session: Session) -> None:
        await self._orders.update_one(
            {"_id": order_id}, {"$push": {"tracking": entry}}, upsert=True, session=session
        )

    async def append_inspection(self, order_id: str, report: Document, *, session: Session) -> None:
        await self._orders.update_one(
            {"_id": order_id}, {"$push": {"inspections": report}}, upsert=True, session=session
        )

    async def lock(self, order_id: str, *, session: Session) -> None:
        """Write to the order inside the caller's transaction, so that two transactions acting on one
        order (opening claims, appending to its conversation) conflict and one is retried after the other."""
        await self._orders.update_one({"_id": order_id}, {"$inc": {"lock": 1}}, session=session)


# Expressions of the update pipelines above (`open_view`, `note_first`).
def _unset(path: str) -> Document:
    """True where the document has no value at `path` (missing or null, as `$ifNull` takes it)."""
    return {"$in": [{"$type": f"${path}"}, ["missing", "null"]]}


def _version_moved_on_if(changed: Document) -> Document:
    """The version, one on where `changed` holds (as a guarded save would move it), else as it was."""
    return {"$cond": [changed, {"$add": [{"$ifNull": ["$version", 0]}, 1]}, "$version"]}
