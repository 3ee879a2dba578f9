"""Protections shared by the HTTP and Socket.IO edges: rate limits, password rules, and running
slow work (password hashing) off the event loop. Imports neither app/web nor app/realtime."""
