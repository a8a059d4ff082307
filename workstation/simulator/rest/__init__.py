"""The simulator's Kalshi-shaped REST API: markets, events, order books, and the signed
portfolio (balance, positions, settlements), over a small HTTP/1.1 server on loopback.

Kalshi's FIX API has no market list or prices; traders take them from Kalshi's public REST
API. This package serves the same paths and shapes (:mod:`.handlers`), checks Kalshi's signed
request headers (:mod:`.signing`) and runs the HTTP server (:mod:`.server`).
"""

from workstation.simulator.rest.handlers import API_PREFIX, RestApi
from workstation.simulator.rest.server import RestServer
from workstation.simulator.rest.signing import AuthError, RequestVerifier, sign_request

__all__ = ["API_PREFIX", "AuthError", "RequestVerifier", "RestApi", "RestServer", "sign_request"]
