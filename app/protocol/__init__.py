"""The protocol as a contract: the machine-readable spec of the Socket.IO side (`spec`), made
from the server's own declarations, served at /api/spec/ (`web`) and written by `flask protocol
spec` (`cli`)."""
